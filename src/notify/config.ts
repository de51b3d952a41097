/**
 * The `channels:` and notification rules of the config file: global `notify:`, `scripts.<name>.notify`,
 * `schedules.<name>.notify` and `triggers.<name>.notify`. Errors name the key path (`channels.mail.url`).
 *
 * ```ts
 * const notify = parseNotifyConfig(config);
 * notify.channels.get("staff-mail")?.type // "email"
 * ```
 */
import { locateConfigError, type NightshiftConfig } from "../config/config.js";
import { ConfigError } from "../config/units.js";

/**
 * When a rule fires: `failed`, `problems`, `completed`, `lost`, `always`. A rule may name several (`when:
 * [failed, problems]`); one without `when` fires on both `failed` and `problems` (issue 17 item 4: a batch
 * with failed items is COMPLETED with errors now, and must not go untold).
 */
export type When = "failed" | "problems" | "completed" | "lost" | "always";
export const WHENS: readonly When[] = ["failed", "problems", "completed", "lost", "always"];

/** A secret given by reference: `env:NAME` or `file:PATH` (never inline). */
export type SecretRef = string;

export interface EmailChannel {
  readonly type: "email";
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** smtps://: TLS from the first byte. */
  readonly secure: boolean;
  /** smtp://: `required` (the default when there is a password: it never crosses in clear), `auto`, `off`. */
  readonly starttls: "required" | "auto" | "off";
  readonly user?: string;
  readonly password?: SecretRef;
  /** PEM of a private certificate authority (file:PATH). */
  readonly ca?: string;
  readonly from: string;
  readonly to: readonly string[];
}

export type WebhookFormat = "slack" | "teams" | "json";

export interface WebhookChannel {
  readonly type: "webhook";
  readonly name: string;
  /** The URL, or a reference to it (a Slack or Teams webhook URL is itself a secret). */
  readonly url: string;
  readonly secret: SecretRef;
  readonly format: WebhookFormat;
}

export type ChannelConfig = EmailChannel | WebhookChannel;

/** A daily digest's time of day (local time of the instance). */
export interface DigestTime {
  readonly hour: number;
  readonly minute: number;
}

/** The `when` of a rule that names none. */
export const DEFAULT_WHEN: readonly When[] = ["failed", "problems"];

export interface Rule {
  /** Fires when any of these matches. */
  readonly when: readonly When[];
  readonly channel: string;
  /** Addresses instead of the channel's own (e-mail only). */
  readonly to?: readonly string[];
  /** Into a daily digest instead of a message each. */
  readonly digest?: DigestTime;
  /** Where the rule is in the config, e.g. `scripts.worldcat-holdings.notify[0]`. */
  readonly key: string;
}

export interface NotifyConfig {
  readonly channels: ReadonlyMap<string, ChannelConfig>;
  readonly global: readonly Rule[];
  readonly scripts: Readonly<Record<string, readonly Rule[]>>;
  readonly schedules: Readonly<Record<string, readonly Rule[]>>;
  readonly triggers: Readonly<Record<string, readonly Rule[]>>;
  /** Where people reach this Nightshift: links in messages. */
  readonly publicUrl?: string;
}

type Raw = Record<string, unknown>;

const isMap = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

export const DEFAULT_DIGEST: DigestTime = { hour: 7, minute: 0 };

/** Reads the notification sections of the config; throws ConfigError naming the key (and its file:line). */
export function parseNotifyConfig(
  config: Pick<NightshiftConfig, "raw"> & Partial<NightshiftConfig>,
): NotifyConfig {
  try {
    return parse(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // List items as the config layer writes them (`notify.0.channel`), so the key is found in the file.
    const dotted = new ConfigError(err.key.replace(/\[(\d+)\]/g, ".$1"), err.detail);
    throw config.dataDir !== undefined ? locateConfigError(config as NightshiftConfig, dotted) : dotted;
  }
}

function parse(config: Pick<NightshiftConfig, "raw"> & Partial<NightshiftConfig>): NotifyConfig {
  const raw = config.raw;
  const channels = parseChannels(raw.channels);
  const rules = (value: unknown, key: string) => parseRules(value, key, channels);
  const nested = (section: string) => {
    const out: Record<string, readonly Rule[]> = {};
    const value = raw[section];
    if (!isMap(value)) return out;
    for (const [name, entry] of Object.entries(value)) {
      if (isMap(entry) && entry.notify !== undefined)
        out[name] = rules(entry.notify, `${section}.${name}.notify`);
    }
    return out;
  };
  return Object.freeze({
    channels,
    global: rules(raw.notify, "notify"),
    scripts: nested("scripts"),
    schedules: nested("schedules"),
    triggers: nested("triggers"),
    publicUrl: config.publicUrl,
  });
}

function parseChannels(value: unknown): Map<string, ChannelConfig> {
  const out = new Map<string, ChannelConfig>();
  if (value === undefined || value === null) return out;
  if (!isMap(value)) throw new ConfigError("channels", "must be a mapping of channel name to settings");
  for (const [name, entry] of Object.entries(value)) {
    const key = `channels.${name}`;
    if (!isMap(entry)) throw new ConfigError(key, "must be a mapping (type: email or webhook, url, ...)");
    if (entry.type === "email") out.set(name, parseEmail(name, entry, key));
    else if (entry.type === "webhook") out.set(name, parseWebhook(name, entry, key));
    else throw new ConfigError(`${key}.type`, `must be email or webhook (got ${JSON.stringify(entry.type)})`);
  }
  return out;
}

const EMAIL_KEYS = new Set(["type", "url", "user", "password", "starttls", "ca", "from", "to"]);
const WEBHOOK_KEYS = new Set(["type", "url", "secret", "format"]);

function unknownKeys(entry: Raw, known: Set<string>, key: string) {
  for (const k of Object.keys(entry)) {
    if (!known.has(k)) throw new ConfigError(`${key}.${k}`, `unknown key (known: ${[...known].join(", ")})`);
  }
}

function parseEmail(name: string, entry: Raw, key: string): EmailChannel {
  unknownKeys(entry, EMAIL_KEYS, key);
  const url = parseUrl(entry.url, `${key}.url`, ["smtp:", "smtps:"]);
  if (url.password)
    throw new ConfigError(`${key}.url`, `holds a password: give it as password: env:NAME or file:PATH`);
  const password = optRef(entry.password, `${key}.password`);
  const secure = url.protocol === "smtps:";
  const starttls = entry.starttls ?? (password ? "required" : "auto");
  if (starttls !== "required" && starttls !== "auto" && starttls !== "off")
    throw new ConfigError(
      `${key}.starttls`,
      `must be required, auto or off (got ${JSON.stringify(starttls)})`,
    );
  if (password && !secure && starttls !== "required")
    throw new ConfigError(
      `${key}.starttls`,
      "must be required when a password is given over smtp:// (or use smtps://): it would cross in clear",
    );
  const from = address(entry.from, `${key}.from`);
  return Object.freeze({
    type: "email",
    name,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    starttls,
    user: entry.user === undefined ? decodeURIComponent(url.username) || undefined : String(entry.user),
    password,
    ca: optRef(entry.ca, `${key}.ca`),
    from,
    to: entry.to === undefined ? [] : addresses(entry.to, `${key}.to`),
  });
}

function parseWebhook(name: string, entry: Raw, key: string): WebhookChannel {
  unknownKeys(entry, WEBHOOK_KEYS, key);
  const rawUrl = entry.url;
  if (typeof rawUrl !== "string" || !/^(env|file):/.test(rawUrl))
    parseUrl(rawUrl, `${key}.url`, ["http:", "https:"]);
  const secret = optRef(entry.secret, `${key}.secret`);
  if (!secret)
    throw new ConfigError(
      `${key}.secret`,
      "required: the key that signs each request (env:NAME or file:PATH)",
    );
  const format = entry.format ?? "json";
  if (format !== "slack" && format !== "teams" && format !== "json")
    throw new ConfigError(`${key}.format`, `must be slack, teams or json (got ${JSON.stringify(format)})`);
  return Object.freeze({ type: "webhook", name, url: rawUrl as string, secret, format });
}

function parseUrl(value: unknown, key: string, protocols: string[]): URL {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol) || !url.hostname)
    throw new ConfigError(key, `must be a ${protocols.map((p) => `${p}//`).join(" or ")} URL`);
  return url;
}

/** A secret reference; an inline value is refused without echoing it. */
function optRef(value: unknown, key: string): SecretRef | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string" && /^(env:.+|file:.+)$/.test(value)) return value;
  throw new ConfigError(
    key,
    "inline secrets are not allowed; store it in an environment variable or a file and write env:NAME or file:PATH",
  );
}

function address(value: unknown, key: string): string {
  if (typeof value !== "string" || !/^[^\s@<>]+@[^\s@<>]+$/.test(value))
    throw new ConfigError(key, `must be an e-mail address (got ${JSON.stringify(value)})`);
  return value;
}

function addresses(value: unknown, key: string): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) throw new ConfigError(key, "must be a list of e-mail addresses");
  return list.map((v, i) => address(v, `${key}[${i}]`));
}

const RULE_KEYS = new Set(["when", "channel", "to", "digest"]);

function parseRules(value: unknown, key: string, channels: ReadonlyMap<string, ChannelConfig>): Rule[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new ConfigError(key, "must be a list of rules like { when: failed, channel: NAME }");
  return value.map((entry, i) => {
    const at = `${key}[${i}]`;
    if (!isMap(entry)) throw new ConfigError(at, "must be a mapping like { when: failed, channel: NAME }");
    unknownKeys(entry, RULE_KEYS, at);
    const when = parseWhen(entry.when, `${at}.when`);
    const channel = channels.get(String(entry.channel));
    if (!channel) {
      const known = [...channels.keys()];
      throw new ConfigError(
        `${at}.channel`,
        `no such channel ${JSON.stringify(entry.channel)} (${known.length ? `known: ${known.join(", ")}` : "no channels configured"})`,
      );
    }
    const to = entry.to === undefined ? undefined : addresses(entry.to, `${at}.to`);
    if (to && channel.type !== "email")
      throw new ConfigError(`${at}.to`, `channel ${channel.name} is a webhook: it has no recipients`);
    if (channel.type === "email" && !to?.length && channel.to.length === 0)
      throw new ConfigError(`${at}.to`, `required: channel ${channel.name} has no default recipients (to)`);
    return Object.freeze({
      when,
      channel: channel.name,
      ...(to ? { to } : {}),
      ...(entry.digest === undefined || entry.digest === false
        ? {}
        : { digest: parseDigest(entry.digest, `${at}.digest`) }),
      key: at,
    });
  });
}

function parseWhen(value: unknown, key: string): readonly When[] {
  if (value === undefined || value === null) return DEFAULT_WHEN;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((w) => !WHENS.includes(w as When)))
    throw new ConfigError(
      key,
      `must be one of ${WHENS.join(", ")}, or a list of them (got ${JSON.stringify(value)})`,
    );
  return Object.freeze([...new Set(list as When[])]);
}

function parseDigest(value: unknown, key: string): DigestTime {
  if (value === true || value === "daily") return DEFAULT_DIGEST;
  const m = typeof value === "string" ? /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value) : null;
  if (!m)
    throw new ConfigError(
      key,
      `must be true, daily, or a time of day like "07:30" (got ${JSON.stringify(value)})`,
    );
  return { hour: Number(m[1]), minute: Number(m[2]) };
}
