/**
 * Configuration: command-line flags over environment over the config file over embedded defaults.
 * The config file (YAML; JSON is YAML too) is optional: without it Nightshift runs on embedded defaults.
 *
 * ```ts
 * const config = await loadConfig({ dataDir: "/var/lib/nightshift" });
 * config.concurrency // 4
 * ```
 */
import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
import { CONFIG_KEYS, checkKeys } from "./keys.js";
import { type ConfigSource, locate, parseConfigText } from "./source.js";
import { ConfigError, parseDuration, parsePositiveInt, parseSize } from "./units.js";

export interface ScriptConfig {
  readonly maxConcurrent?: number;
  readonly timeoutMs?: number;
  /** Roles (besides admin) allowed to run the script. */
  readonly roles?: readonly string[];
  /** `scripts.<name>.account`: checked by its owner (read from `raw` until then). */
  readonly account?: unknown;
  /** `scripts.<name>.notify`: checked by its owner (read from `raw` until then). */
  readonly notify?: unknown;
}

/**
 * `limits`: what one user may hold at once, so one client cannot fill the queue, the disk or the server's
 * connections. 0 turns a limit off. They apply to every user, admins too (a runaway admin script is as heavy);
 * an admin raises them in the config.
 */
export interface UserLimits {
  /** SCHEDULED processes a user has waiting (`limits.queuedProcesses`, default 1000). */
  readonly queuedProcesses: number;
  /** Bytes of a user's stored uploads, over their processes not yet deleted (`limits.uploadBytes`, 10GB). */
  readonly uploadBytes: number;
  /** Open log streams (`/processes/{id}/output` followed) per user on one server (`limits.logStreams`, 20). */
  readonly logStreams: number;
}

export interface NightshiftConfig {
  readonly dataDir: string;
  /**
   * `postgres://…`: the store is this PostgreSQL database, shared by any number of workers (files and logs
   * stay under dataDir). Absent: the SQLite file under dataDir. A secret: never logged or shown.
   */
  readonly databaseUrl?: string;
  /**
   * Where process files and logs live: `postgres` (in the database, the default when it is PostgreSQL: nodes
   * share nothing else) or `directory` (under dataDir, the default on SQLite; on PostgreSQL every node must
   * then mount one shared directory).
   */
  readonly fileStore: "directory" | "postgres";
  readonly configPath?: string;
  readonly port: number;
  readonly host: string;
  readonly concurrency: number;
  /**
   * PostgreSQL: wake-ups by LISTEN/NOTIFY (`listen`, default true), with a slow poll as the fallback; false
   * polls only (every heartbeat/4, at most 1 s), opening no LISTEN connection.
   */
  readonly listen: boolean;
  /**
   * How often a worker looks for due processes and cancel requests when nothing woke it (`poll`; default
   * heartbeat/4, at most 1 s). Wake-ups (LISTEN, wake files) make it a fallback.
   */
  readonly pollMs?: number;
  /** This node's name in /metrics and the workers table (`nodeName`, NIGHTSHIFT_NODE_NAME; default host:pid). */
  readonly nodeName: string;
  readonly heartbeatMs: number;
  readonly leaseMs: number;
  readonly uploadLimitBytes: number;
  /** Free bytes to keep on the data directory's disk (`diskReserve`, default 1 GB; 0 turns the check off). */
  readonly diskReserveBytes: number;
  /** Per-user limits (`limits`); see UserLimits. */
  readonly limits: UserLimits;
  /**
   * Where people reach the server (`https://nightshift.example.org/`), for links in REST answers and messages;
   * without it links are built from the request. Absolute http(s), no query or fragment, ends without `/`.
   */
  readonly publicUrl?: string;
  readonly scripts: Readonly<Record<string, ScriptConfig>>;
  /** Absolute paths of extra modules whose default or `scripts` export is a list of script definitions. */
  readonly scriptModules: readonly string[];
  /** The raw `accounts:` section; parsed by src/worldcat/accounts.ts. */
  readonly accounts: Readonly<Record<string, unknown>>;
  /** The whole file as read, for sections other layers own (smtp, schedules, triggers, ...). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface LoadConfigOptions {
  readonly dataDir?: string;
  readonly configPath?: string;
  readonly port?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

export const DEFAULTS = {
  dataDir: "./nightshift-data",
  port: 8080,
  host: "127.0.0.1",
  concurrency: 4,
  heartbeatMs: 30_000,
  uploadLimitBytes: 100 * 1024 ** 2,
  diskReserveBytes: 1024 ** 3,
  limits: { queuedProcesses: 1000, uploadBytes: 10 * 1024 ** 3, logStreams: 20 },
} as const;

async function readConfigFile(path: string): Promise<ConfigSource> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new ConfigError(
      "config",
      `cannot read config file: ${(err as NodeJS.ErrnoException).code ?? err}`,
      path,
    );
  }
  return parseConfigText(text, path);
}

/** Each loaded config's file with positions, so errors found later (by a section's owner) get file:line. */
const sources = new WeakMap<NightshiftConfig, ConfigSource>();

/**
 * The error with the config file and the line of its key path (`schedules.nightly.cron`), for section owners
 * that check their part after loading: `throw locateConfigError(config, new ConfigError(path, "..."))`.
 */
export function locateConfigError(config: NightshiftConfig, err: ConfigError): ConfigError {
  return locate(err, sources.get(config));
}

/** Shorthand: a ConfigError for `keyPath` of this config, with file and line. */
export function configError(config: NightshiftConfig, keyPath: string, message: string): ConfigError {
  return locateConfigError(config, new ConfigError(keyPath, message));
}

function parseScripts(raw: unknown): Record<string, ScriptConfig> {
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError("scripts", "must be a mapping of script name to settings");
  }
  const out: Record<string, ScriptConfig> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const key = `scripts.${name}`;
    if (value !== null && value !== undefined && (typeof value !== "object" || Array.isArray(value)))
      throw new ConfigError(key, "must be a mapping (maxConcurrent, timeout, roles, account, notify)");
    const v = (value ?? {}) as Record<string, unknown>;
    if (v.roles !== undefined && (!Array.isArray(v.roles) || v.roles.some((r) => typeof r !== "string"))) {
      throw new ConfigError(`${key}.roles`, "must be a list of role names");
    }
    out[name] = {
      maxConcurrent:
        v.maxConcurrent === undefined ? undefined : parsePositiveInt(v.maxConcurrent, `${key}.maxConcurrent`),
      timeoutMs: v.timeout === undefined ? undefined : parseDuration(v.timeout, `${key}.timeout`),
      roles: v.roles as string[] | undefined,
      ...(v.account === undefined ? {} : { account: v.account }),
      ...(v.notify === undefined ? {} : { notify: v.notify }),
    };
  }
  return out;
}

/** Loads the configuration; throws ConfigError naming the file and key on bad input. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<NightshiftConfig> {
  const configPath = resolveConfigPath(options);
  const source = configPath ? await readConfigFile(configPath) : undefined;
  try {
    checkKeys(source?.data, CONFIG_KEYS);
    const config = build(options, configPath, source?.data ?? {});
    if (source) sources.set(config, source);
    return config;
  } catch (err) {
    // Values are checked deep inside by key path; the file and line are added here, once. Settings from the
    // environment (NIGHTSHIFT_*) are not in the file.
    if (err instanceof ConfigError && !err.key.startsWith("NIGHTSHIFT_")) throw locate(err, source);
    throw err;
  }
}

function resolveConfigPath(options: LoadConfigOptions): string | undefined {
  const raw = options.configPath ?? (options.env ?? process.env).NIGHTSHIFT_CONFIG;
  return raw ? resolve(options.cwd ?? process.cwd(), raw) : undefined;
}

/** Longest interval a Node timer holds: a longer heartbeat would fire every millisecond. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Heartbeat and lease. A lease no longer than the heartbeat runs out before each renewal: any other
 * `nightshift` command starting meanwhile would fail the live worker's processes as lost. A lease given alone
 * brings the heartbeat down to half of it; both given, the lease must be the longer.
 */
function parseLease(file: Record<string, unknown>) {
  const lease = file.lease === undefined ? undefined : parseDuration(file.lease, "lease");
  const heartbeatMs =
    file.heartbeat !== undefined
      ? parseDuration(file.heartbeat, "heartbeat")
      : Math.min(DEFAULTS.heartbeatMs, Math.floor((lease ?? Number.POSITIVE_INFINITY) / 2));
  if (heartbeatMs <= 0 || heartbeatMs > MAX_TIMER_MS)
    throw new ConfigError("heartbeat", `must be more than 0 and at most 24 days (got ${heartbeatMs} ms)`);
  const leaseMs = lease ?? heartbeatMs * 2;
  if (leaseMs <= heartbeatMs)
    throw new ConfigError(
      "lease",
      `must be longer than the heartbeat (${heartbeatMs} ms): a lease would run out before it is renewed (got ${leaseMs} ms)`,
    );
  return { heartbeatMs, leaseMs };
}

/** `poll`: how often a worker looks without a wake-up; a duration like the heartbeat. */
function parsePoll(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw, "poll");
  if (ms <= 0 || ms > MAX_TIMER_MS)
    throw new ConfigError("poll", `must be more than 0 and at most 24 days (got ${ms} ms)`);
  return ms;
}

/** `NIGHTSHIFT_DATABASE_URL` over the file's `databaseUrl`; checked without echoing it (it holds a password). */
function parseDatabaseUrl(raw: unknown, key: string): string | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw !== "string" || !/^postgres(ql)?:\/\/[^\s]+$/i.test(raw)) {
    throw new ConfigError(key, "must be a postgres:// or postgresql:// URL");
  }
  return raw;
}

/** `fileStore`: directory | postgres; postgres needs the PostgreSQL store, and is its default. */
function parseFileStore(
  raw: unknown,
  key: string,
  databaseUrl: string | undefined,
): NightshiftConfig["fileStore"] {
  if (raw === undefined || raw === null || raw === "") return databaseUrl ? "postgres" : "directory";
  if (raw !== "directory" && raw !== "postgres")
    throw new ConfigError(key, `must be directory or postgres (got ${JSON.stringify(raw)})`);
  if (raw === "postgres" && !databaseUrl)
    throw new ConfigError(
      key,
      "postgres keeps files in the PostgreSQL store: set databaseUrl (or NIGHTSHIFT_DATABASE_URL), or use directory",
    );
  return raw;
}

/** `publicUrl`: an absolute http(s) URL without query or fragment; kept without the trailing slash. */
function parsePublicUrl(raw: unknown, key: string): string | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  let url: URL | undefined;
  try {
    url = typeof raw === "string" ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.search ||
    url.hash ||
    url.username
  )
    throw new ConfigError(
      key,
      `must be an absolute http:// or https:// URL without query, fragment or credentials, like https://nightshift.example.org (got ${JSON.stringify(raw)})`,
    );
  return url.href.replace(/\/+$/, "");
}

/** A count that may be 0 (a limit turned off). */
function parseCount(raw: unknown, key: string): number {
  const n = typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0)
    throw new ConfigError(key, `must be a whole number, 0 or more (0: no limit), got ${JSON.stringify(raw)}`);
  return n;
}

/** `limits: { queuedProcesses, uploadBytes, logStreams }`; unknown keys are refused by keys.ts. */
function parseLimits(raw: unknown): UserLimits {
  if (raw === undefined || raw === null) return DEFAULTS.limits;
  if (typeof raw !== "object" || Array.isArray(raw))
    throw new ConfigError("limits", "must be a mapping (queuedProcesses, uploadBytes, logStreams)");
  const v = raw as Record<string, unknown>;
  const d = DEFAULTS.limits;
  return {
    queuedProcesses:
      v.queuedProcesses === undefined
        ? d.queuedProcesses
        : parseCount(v.queuedProcesses, "limits.queuedProcesses"),
    uploadBytes: v.uploadBytes === undefined ? d.uploadBytes : parseSize(v.uploadBytes, "limits.uploadBytes"),
    logStreams: v.logStreams === undefined ? d.logStreams : parseCount(v.logStreams, "limits.logStreams"),
  };
}

function parseListen(raw: unknown): boolean {
  if (raw === undefined) return true;
  if (typeof raw !== "boolean")
    throw new ConfigError("listen", `must be true or false, got ${JSON.stringify(raw)}`);
  return raw;
}

/** A node's name: printable, no spaces or quotes (a Prometheus label value and a log word). */
function parseNodeName(raw: unknown): string {
  if (raw === undefined || raw === "") return `${hostname()}:${process.pid}`;
  const name = String(raw);
  if (!/^[A-Za-z0-9._:@-]{1,100}$/.test(name))
    throw new ConfigError(
      "nodeName",
      `must be 1 to 100 letters, digits or . _ : @ -, got ${JSON.stringify(name)}`,
    );
  return name;
}

function build(
  options: LoadConfigOptions,
  configPath: string | undefined,
  file: Record<string, unknown>,
): NightshiftConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const base = configPath ? dirname(configPath) : cwd;
  const dataDirRaw =
    options.dataDir ?? env.NIGHTSHIFT_DATA_DIR ?? (file.dataDir as string | undefined) ?? DEFAULTS.dataDir;
  const portRaw = options.port ?? env.NIGHTSHIFT_PORT ?? file.port ?? DEFAULTS.port;
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(
      options.port === undefined && env.NIGHTSHIFT_PORT !== undefined ? "NIGHTSHIFT_PORT" : "port",
      `not a TCP port: ${portRaw}`,
    );
  const { heartbeatMs, leaseMs } = parseLease(file);
  const modules = file.scriptModules ?? [];
  if (!Array.isArray(modules) || modules.some((m) => typeof m !== "string")) {
    throw new ConfigError("scriptModules", "must be a list of module paths");
  }
  const accounts = file.accounts ?? {};
  if (typeof accounts !== "object" || accounts === null || Array.isArray(accounts)) {
    throw new ConfigError("accounts", "must be a mapping of account name to settings");
  }
  const databaseUrl = env.NIGHTSHIFT_DATABASE_URL
    ? parseDatabaseUrl(env.NIGHTSHIFT_DATABASE_URL, "NIGHTSHIFT_DATABASE_URL")
    : parseDatabaseUrl(file.databaseUrl, "databaseUrl");
  const publicUrl = env.NIGHTSHIFT_PUBLIC_URL
    ? parsePublicUrl(env.NIGHTSHIFT_PUBLIC_URL, "NIGHTSHIFT_PUBLIC_URL")
    : parsePublicUrl(file.publicUrl, "publicUrl");
  const fileStore = parseFileStore(
    env.NIGHTSHIFT_FILE_STORE ?? file.fileStore,
    env.NIGHTSHIFT_FILE_STORE !== undefined ? "NIGHTSHIFT_FILE_STORE" : "fileStore",
    databaseUrl,
  );
  return Object.freeze({
    dataDir: resolve(cwd, String(dataDirRaw)),
    ...(databaseUrl ? { databaseUrl } : {}),
    fileStore,
    configPath,
    port,
    host: String(env.NIGHTSHIFT_HOST ?? file.host ?? DEFAULTS.host),
    concurrency:
      env.NIGHTSHIFT_CONCURRENCY !== undefined
        ? parsePositiveInt(env.NIGHTSHIFT_CONCURRENCY, "NIGHTSHIFT_CONCURRENCY")
        : file.concurrency === undefined
          ? DEFAULTS.concurrency
          : parsePositiveInt(file.concurrency, "concurrency"),
    listen: parseListen(file.listen),
    ...(file.poll === undefined ? {} : { pollMs: parsePoll(file.poll) }),
    nodeName: parseNodeName(env.NIGHTSHIFT_NODE_NAME ?? file.nodeName),
    heartbeatMs,
    leaseMs,
    uploadLimitBytes:
      file.uploadLimit === undefined ? DEFAULTS.uploadLimitBytes : parseSize(file.uploadLimit, "uploadLimit"),
    ...(publicUrl ? { publicUrl } : {}),
    diskReserveBytes:
      file.diskReserve === undefined ? DEFAULTS.diskReserveBytes : parseSize(file.diskReserve, "diskReserve"),
    limits: parseLimits(file.limits),
    scripts: parseScripts(file.scripts),
    scriptModules: (modules as string[]).map((m) => resolve(base, m)),
    accounts: accounts as Record<string, unknown>,
    raw: file,
  });
}
