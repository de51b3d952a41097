/**
 * The keys a config file may hold. A misspelt or not-yet-supported key (`schedule:` for `schedules:`) would
 * otherwise be read as nothing and the server would start silently without it, so every unknown key is refused,
 * at every level, naming the nearest known key when one is close.
 *
 * Adding a key: one line in the table of its section below (or, for a section you own and check yourself, call
 * `checkKeys` with your own table from your parser and throw `ConfigError`s with the full key path: the config
 * layer turns key paths into file:line).
 */
import { ConfigError } from "./units.js";

/** What a key holds, for the unknown-key check (its value is checked by its own parser). */
export type KeySpec =
  /** A value (or a section) whose owner checks it: any shape is accepted here. */
  | "value"
  /** A mapping with these known keys. */
  | { readonly keys: KeyTable }
  /** A mapping of free names (script names, account names), each a mapping with these known keys. */
  | { readonly each: KeyTable };

export type KeyTable = Readonly<Record<string, KeySpec>>;

/** `scripts.<name>`: the engine's per-script settings. */
export const SCRIPT_KEYS: KeyTable = {
  maxConcurrent: "value",
  timeout: "value",
  roles: "value",
  account: "value",
  notify: "value",
};

/** `accounts.<name>`: a WorldCat service account (values checked by src/worldcat/accounts.ts). */
export const ACCOUNT_KEYS: KeyTable = {
  auth: "value",
  key: "value",
  secret: "value",
  principalID: "value",
  principalIDNS: "value",
  registryId: "value",
  symbol: "value",
  /** Acting for another institution: its registry id, sent as `context:<id>` in the token scope. */
  context: "value",
  scopes: "value",
  baseUrls: { keys: { metadata: "value", oauth: "value", authn: "value", worldcat: "value" } },
  sandboxUrl: "value",
  sandbox: "value",
  rateLimit: "value",
  concurrency: "value",
  connectTimeout: "value",
  readTimeout: "value",
};

/** The top level. Sections marked "value" are checked inside by their owners. */
export const CONFIG_KEYS: KeyTable = {
  dataDir: "value",
  databaseUrl: "value",
  port: "value",
  host: "value",
  concurrency: "value",
  listen: "value",
  poll: "value",
  nodeName: "value",
  heartbeat: "value",
  lease: "value",
  uploadLimit: "value",
  trustProxy: "value",
  publicUrl: "value",
  scriptModules: "value",
  scripts: { each: SCRIPT_KEYS },
  accounts: { each: ACCOUNT_KEYS },
  schedules: "value",
  triggers: "value",
  channels: "value",
  notify: "value",
  fileStore: "value",
  diskReserve: "value",
  retention: "value",
  limits: { keys: { queuedProcesses: "value", uploadBytes: "value", logStreams: "value" } },
};

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Throws a ConfigError for the first key of `value` not in `known` (`path` is the key path of `value`, "" at
 * the top). Not a mapping: nothing to check here (its parser says what it should be).
 */
export function checkKeys(value: unknown, known: KeyTable, path = ""): void {
  if (!isMapping(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const spec = Object.hasOwn(known, key) ? known[key] : undefined;
    if (spec === undefined) throw unknownKey(at, key, Object.keys(known));
    if (spec === "value") continue;
    if ("keys" in spec) checkKeys(inner, spec.keys, at);
    else if (isMapping(inner)) {
      for (const [name, entry] of Object.entries(inner)) checkKeys(entry, spec.each, `${at}.${name}`);
    }
  }
}

function unknownKey(at: string, key: string, known: readonly string[]): ConfigError {
  const near = nearest(key, known);
  return new ConfigError(at, `unknown key${near ? ` (did you mean \`${near}\`?)` : ""}`);
}

/** The known key closest to `key` when it is close enough to be a slip (case, a letter or two). */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** Levenshtein distance (keys are short). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
