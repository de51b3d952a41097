/**
 * Service accounts: named credential profiles from the config file's `accounts:` section.
 * Secrets are given by reference only (`env:NAME` or `file:PATH`); an inline secret is refused.
 *
 * ```ts
 * const account = await resolveAccount(config.accounts, "weeding-2026", process.env);
 * account.baseUrls.metadata // "https://metadata.api.oclc.org/worldcat"
 * ```
 */

import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { parseDuration } from "../config/units.js";
import { AccountConfigError } from "./errors.js";
import { registerSecret } from "./redact.js";

export type AuthMode = "token" | "hmac";

/** Where each WorldCat service lives. */
export interface BaseUrls {
  /** Metadata API 2.0, e.g. https://metadata.api.oclc.org/worldcat */
  readonly metadata: string;
  /** Current token server origin (POST {oauth}/token). */
  readonly oauth: string;
  /** Legacy token server origin (POST {authn}/oauth2/accessToken). */
  readonly authn: string;
  /** The first Metadata API (https://worldcat.org: /bib/data, /ih/data, /lbd/data, /bib/holdinglibraries). */
  readonly worldcat: string;
}

export const DEFAULT_BASE_URLS: BaseUrls = Object.freeze({
  metadata: "https://metadata.api.oclc.org/worldcat",
  oauth: "https://oauth.oclc.org",
  authn: "https://authn.sd00.worldcat.org",
  worldcat: "https://worldcat.org",
});

export interface RateLimit {
  /** Requests per second (600/min -> 10). */
  readonly perSecond: number;
  /** Bucket size: how many may go at once after a quiet spell. */
  readonly burst: number;
}

/** A resolved service account: secrets read, defaults applied. */
export interface ServiceAccount {
  readonly name: string;
  readonly auth: AuthMode;
  readonly key: string;
  readonly secret: string;
  readonly principalID?: string;
  readonly principalIDNS?: string;
  readonly registryId?: string;
  readonly symbol?: string;
  /**
   * Acting for another institution (a consortium's central staff working for a member): its registry id,
   * sent as `context:<id>` in the token scope (contextInstitutionId in the legacy flow).
   */
  readonly context?: string;
  readonly scopes: readonly string[];
  readonly baseUrls: BaseUrls;
  /** Set when the account points at a sandbox; shown as SANDBOX wherever the account appears. */
  readonly sandboxUrl?: string;
  readonly sandbox: boolean;
  readonly rateLimit?: RateLimit;
  readonly concurrency: number;
  /** `connectTimeout` / `readTimeout` of the config (ms); the transport's defaults when absent. */
  readonly timeouts: { readonly connectMs?: number; readonly readMs?: number };
}

/**
 * The account name as shown to people: `name [SANDBOX]` for sandbox accounts, and `(context <id>)` when it
 * acts for another institution.
 */
export function accountLabel(
  account: Pick<ServiceAccount, "name" | "sandbox"> & { context?: string },
): string {
  const name = account.sandbox ? `${account.name} [SANDBOX]` : account.name;
  return account.context ? `${name} (context ${account.context})` : name;
}

/** A summary safe to print or log: no secret. */
export function describeAccount(account: ServiceAccount): Record<string, unknown> {
  const { secret: _secret, ...rest } = account;
  return { ...rest, label: accountLabel(account) };
}

const RATE = /^(\d+(?:\.\d+)?)\s*\/\s*(s|sec|second|m|min|minute|h|hour)$/i;

/** `"20/s"`, `"600/min"`, `"1000/h"` -> requests per second and burst. */
export function parseRateLimit(value: unknown, account = "?"): RateLimit {
  const m = typeof value === "string" ? RATE.exec(value.trim()) : null;
  if (!m || Number(m[1]) <= 0) {
    throw new AccountConfigError(
      account,
      "rateLimit",
      `expected like 20/s or 600/min (got ${JSON.stringify(value)})`,
    );
  }
  const unit = m[2].toLowerCase();
  const seconds = unit.startsWith("s") ? 1 : unit.startsWith("m") ? 60 : 3600;
  const perSecond = Number(m[1]) / seconds;
  return { perSecond, burst: Math.max(1, Math.ceil(perSecond)) };
}

export const INLINE_REFUSED =
  "inline secrets are not allowed; store it in an environment variable or a file and write env:NAME or file:PATH";

/** Resolves `env:NAME` or `file:PATH`; anything else is an inline secret and is refused. */
export async function resolveSecretRef(
  ref: unknown,
  account: string,
  key: string,
  env: NodeJS.ProcessEnv,
  baseDir = process.cwd(),
): Promise<string> {
  if (typeof ref !== "string" || ref.trim() === "") {
    throw new AccountConfigError(account, key, "required: give it as env:NAME or file:PATH");
  }
  if (ref.startsWith("env:")) {
    const name = ref.slice(4);
    const value = env[name];
    if (value === undefined || value === "") {
      throw new AccountConfigError(account, key, `environment variable ${name} is not set`);
    }
    return value;
  }
  if (ref.startsWith("file:")) {
    const path = ref.slice(5);
    try {
      const value = (await readFile(isAbsolute(path) ? path : resolve(baseDir, path), "utf8")).trim();
      if (value === "") throw new Error("empty");
      return value;
    } catch (err) {
      throw new AccountConfigError(
        account,
        key,
        `cannot read secret file ${path}: ${(err as Error).message}`,
      );
    }
  }
  // Never echo the value: it is probably the secret itself.
  throw new AccountConfigError(account, key, INLINE_REFUSED);
}

/**
 * Checks every account's `secret` is a reference, without reading it: for loading a config file, so an inline
 * secret is refused when the file is read rather than when a process first uses the account. The value is never
 * echoed. Undefined when every secret is a reference (or absent: that is reported when the account is used).
 */
export function inlineSecretProblem(
  accounts: Readonly<Record<string, unknown>>,
): AccountConfigError | undefined {
  for (const [name, value] of Object.entries(accounts)) {
    if (!value || typeof value !== "object" || Array.isArray(value)) continue;
    const secret = (value as Record<string, unknown>).secret;
    if (secret === undefined || secret === null) continue;
    if (typeof secret !== "string" || !/^(env|file):/.test(secret))
      return new AccountConfigError(name, "secret", INLINE_REFUSED);
  }
  return undefined;
}

const optString = (v: unknown, account: string, key: string): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string" || typeof v === "number") return String(v);
  throw new AccountConfigError(account, key, "must be a string");
};

function baseUrlsFor(raw: Record<string, unknown>, name: string): BaseUrls {
  const sandboxUrl = optString(raw.sandboxUrl, name, "sandboxUrl")?.replace(/\/+$/, "");
  const fromSandbox: BaseUrls | undefined = sandboxUrl
    ? { metadata: `${sandboxUrl}/worldcat`, oauth: sandboxUrl, authn: sandboxUrl, worldcat: sandboxUrl }
    : undefined;
  const given = (raw.baseUrls ?? {}) as Record<string, unknown>;
  if (typeof given !== "object" || Array.isArray(given)) {
    throw new AccountConfigError(name, "baseUrls", "must be a mapping (metadata, oauth, authn, worldcat)");
  }
  const pick = (k: keyof BaseUrls): string =>
    (optString(given[k], name, `baseUrls.${k}`) ?? fromSandbox?.[k] ?? DEFAULT_BASE_URLS[k]).replace(
      /\/+$/,
      "",
    );
  return {
    metadata: pick("metadata"),
    oauth: pick("oauth"),
    authn: pick("authn"),
    worldcat: pick("worldcat"),
  };
}

/** Builds a ServiceAccount from one raw config entry; reads the secrets. */
export async function parseAccount(
  name: string,
  value: unknown,
  env: NodeJS.ProcessEnv = process.env,
  baseDir?: string,
): Promise<ServiceAccount> {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new AccountConfigError(name, "(account)", "must be a mapping of settings");
  }
  const raw = value as Record<string, unknown>;
  const auth = raw.auth ?? "token";
  if (auth !== "token" && auth !== "hmac") {
    throw new AccountConfigError(name, "auth", `must be token or hmac (got ${JSON.stringify(auth)})`);
  }
  const scopes = raw.scopes ?? ["WorldCatMetadataAPI"];
  if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== "string")) {
    throw new AccountConfigError(name, "scopes", "must be a list of scope names");
  }
  const key = await resolveKey(raw.key, name, env, baseDir);
  const secret = await resolveSecretRef(raw.secret, name, "secret", env, baseDir);
  registerSecret(secret);
  const sandboxUrl = optString(raw.sandboxUrl, name, "sandboxUrl");
  const context = optString(raw.context, name, "context");
  if (context !== undefined && !/^\d+$/.test(context))
    throw new AccountConfigError(
      name,
      "context",
      `must be an institution's registry id (digits); got ${JSON.stringify(context)}`,
    );
  const concurrency = raw.concurrency === undefined ? 8 : Number(raw.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new AccountConfigError(
      name,
      "concurrency",
      `must be a positive integer (got ${JSON.stringify(raw.concurrency)})`,
    );
  }
  return Object.freeze({
    name,
    auth,
    key,
    secret,
    principalID: optString(raw.principalID, name, "principalID"),
    principalIDNS: optString(raw.principalIDNS, name, "principalIDNS"),
    registryId: optString(raw.registryId, name, "registryId"),
    symbol: optString(raw.symbol, name, "symbol"),
    context,
    scopes: Object.freeze([...(scopes as string[])]),
    baseUrls: Object.freeze(baseUrlsFor(raw, name)),
    sandboxUrl,
    sandbox: sandboxUrl !== undefined || raw.sandbox === true,
    rateLimit: raw.rateLimit === undefined ? undefined : parseRateLimit(raw.rateLimit, name),
    concurrency,
    timeouts: Object.freeze({
      connectMs: optTimeout(raw.connectTimeout, name, "connectTimeout"),
      readMs: optTimeout(raw.readTimeout, name, "readTimeout"),
    }),
  });
}

/** `"30s"`, `"500ms"` or a number of ms; undefined when absent. */
function optTimeout(value: unknown, account: string, key: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    const ms = parseDuration(value, key);
    if (ms > 0) return ms;
  } catch {
    // reported below with the account's name
  }
  throw new AccountConfigError(
    account,
    key,
    `expected a duration like 30s or 500ms (got ${JSON.stringify(value)})`,
  );
}

/** The key is not secret (it identifies), so it may be inline; references are resolved too. */
async function resolveKey(
  ref: unknown,
  account: string,
  env: NodeJS.ProcessEnv,
  baseDir?: string,
): Promise<string> {
  if (typeof ref === "string" && (ref.startsWith("env:") || ref.startsWith("file:"))) {
    return resolveSecretRef(ref, account, "key", env, baseDir);
  }
  const key = optString(ref, account, "key");
  if (!key)
    throw new AccountConfigError(account, "key", "required (the WSKey, inline or env:NAME / file:PATH)");
  return key;
}

/**
 * Finds and resolves the account `name` in the config's `accounts:` section.
 * Throws AccountConfigError naming the account (and listing the known ones when it is missing).
 */
export async function resolveAccount(
  accounts: Readonly<Record<string, unknown>>,
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  baseDir?: string,
): Promise<ServiceAccount> {
  if (!Object.hasOwn(accounts, name)) {
    const known = Object.keys(accounts);
    throw new AccountConfigError(
      name,
      "(account)",
      `no such account in the config${known.length ? ` (known: ${known.join(", ")})` : " (no accounts configured)"}`,
    );
  }
  return parseAccount(name, accounts[name], env, baseDir);
}
