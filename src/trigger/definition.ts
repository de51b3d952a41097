/**
 * A trigger: an authenticated inbound event (webhook) or a watched inbox folder, mapped to a script and its
 * parameters. Checked when the config is loaded, naming the key and the parameter, with the parser `run` uses.
 */
import { isAbsolute, resolve } from "node:path";
import type { NightshiftConfig } from "../config/config.js";
import { whereInFile } from "../config/key-line.js";
import { ConfigError, parseDuration } from "../config/units.js";
import { ParameterError, parseArgv } from "../engine/parameters.js";
import type { ScriptRegistry } from "../engine/registry.js";
import type { ParameterDefinition, ScriptDefinition } from "../engine/script.js";
import { isPointer } from "./pointer.js";
import { parseRateLimit, type RateLimit } from "./rate-limit.js";

export interface TriggerDefinition {
  readonly name: string;
  readonly script: string;
  /** Constant parameters, as on the command line. */
  readonly args: readonly string[];
  /** Parameter long name -> JSON Pointer into the event. */
  readonly payload: Readonly<Record<string, string>>;
  /** Webhooks: `hmac` (the trigger's secret, by reference) or `token` (a user's bearer token). */
  readonly auth: "hmac" | "token" | "none";
  /** `env:NAME` or `file:PATH` (hmac). */
  readonly secret?: string;
  /** JSON Pointer to the event's idempotency key. */
  readonly idempotencyKey?: string;
  readonly rateLimit?: RateLimit;
  readonly rateLimitText?: string;
  /** A folder trigger's inbox (absolute). */
  readonly folder?: string;
  /** How long a file's size and time must stay the same before it counts as complete. */
  readonly settleMs: number;
  readonly account?: string;
  readonly priority: number;
}

const KEYS = [
  "script",
  "args",
  "payload",
  "secret",
  "auth",
  "idempotencyKey",
  "rateLimit",
  "folder",
  "settle",
  "account",
  "priority",
  "notify",
] as const;

class Problem extends Error {
  constructor(
    readonly path: string[],
    message: string,
  ) {
    super(message);
  }
}

/** The `triggers:` section, checked; throws ConfigError naming file:line, the key and the parameter. */
export function configTriggers(config: NightshiftConfig, scripts: ScriptRegistry): TriggerDefinition[] {
  const section = config.raw.triggers;
  if (section === undefined || section === null) return [];
  const base = config.configPath ? resolve(config.configPath, "..") : process.cwd();
  try {
    if (typeof section !== "object" || Array.isArray(section))
      throw new Problem([], "must be a mapping of trigger name to settings");
    return Object.entries(section as Record<string, unknown>).map(([name, raw]) =>
      checkTrigger(name, raw, scripts, base),
    );
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    const path = ["triggers", ...err.path];
    const where = config.configPath ? whereInFile(config.configPath, path) : undefined;
    throw new ConfigError(path.join("."), err.message, where);
  }
}

function checkTrigger(name: string, raw: unknown, scripts: ScriptRegistry, base: string): TriggerDefinition {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name))
    throw new Problem([name], `'${name}' is not a trigger name (letters, digits, '.', '_', '-')`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new Problem([name], "must be a mapping of settings");
  const r = raw as Record<string, unknown>;
  const at = (key: string, message: string) => new Problem([name, key], message);
  for (const key of Object.keys(r))
    if (!(KEYS as readonly string[]).includes(key))
      throw at(key, `unknown setting (known: ${KEYS.join(", ")})`);
  const script = typeof r.script === "string" ? scripts.get(r.script) : undefined;
  if (!script)
    throw at("script", r.script === undefined ? "is required" : `no script named '${String(r.script)}'`);
  const args = r.args ?? [];
  if (!Array.isArray(args) || args.some((a) => typeof a !== "string" && typeof a !== "number"))
    throw at("args", "must be a list of strings (constant parameters, as on the command line)");
  const payload = r.payload ?? {};
  if (typeof payload !== "object" || payload === null || Array.isArray(payload))
    throw at("payload", "must map parameter long names to JSON Pointers");
  for (const [param, pointer] of Object.entries(payload)) {
    if (
      !script.parameters.some((p) => p.nameLong === param || p.name === param || p.aliases?.includes(param))
    )
      throw new Problem([name, "payload", param], `script '${script.name}' has no parameter '${param}'`);
    if (typeof pointer !== "string" || !isPointer(pointer))
      throw new Problem(
        [name, "payload", param],
        `must be a JSON Pointer like /item/id, got ${JSON.stringify(pointer)}`,
      );
  }
  const folder = r.folder;
  if (folder !== undefined && (typeof folder !== "string" || folder === ""))
    throw at("folder", "must be a directory path");
  const fileParam = script.parameters.find((p) => p.nameLong === "--input" && p.type === "file");
  if (folder !== undefined && !fileParam)
    throw at("folder", `script '${script.name}' has no file parameter --input for the file`);
  // The constants and a stand-in for each mapped value must parse as `run` would parse them.
  const sample = [...args.map(String)];
  for (const param of Object.keys(payload)) sample.push(param, standIn(script, param));
  if (folder !== undefined && fileParam) sample.push("--input", "inbox-file");
  try {
    parseArgv(script, sample);
  } catch (err) {
    if (!(err instanceof ParameterError)) throw err;
    throw at(Object.keys(payload).length ? "payload" : "args", err.problems.map((p) => p.message).join("; "));
  }
  const authRaw = r.auth;
  if (authRaw !== undefined && authRaw !== "token" && authRaw !== "hmac")
    throw at("auth", `must be token or hmac, got ${JSON.stringify(authRaw)}`);
  const secret = r.secret;
  if (secret !== undefined && (typeof secret !== "string" || !/^(env|file):.+/.test(secret)))
    throw at("secret", "must be a reference: env:NAME or file:PATH (an inline secret is refused)");
  const auth = folder !== undefined ? "none" : authRaw === "token" ? "token" : "hmac";
  if (auth === "hmac" && secret === undefined)
    throw at("secret", "is required for a webhook (or write auth: token for users' bearer tokens)");
  const idem = r.idempotencyKey;
  if (idem !== undefined && (typeof idem !== "string" || !isPointer(idem)))
    throw at("idempotencyKey", "must be a JSON Pointer like /event/id");
  let rateLimit: RateLimit | undefined;
  if (r.rateLimit !== undefined) {
    rateLimit = typeof r.rateLimit === "string" ? parseRateLimit(r.rateLimit) : undefined;
    if (!rateLimit)
      throw at("rateLimit", `must be like 60/min, 10/s or 500/h, got ${JSON.stringify(r.rateLimit)}`);
  }
  let settleMs = 5000;
  if (r.settle !== undefined) {
    try {
      settleMs = parseDuration(r.settle, "settle");
    } catch (err) {
      throw at("settle", (err as Error).message.replace(/^settle: /, ""));
    }
  }
  if (r.account !== undefined && typeof r.account !== "string")
    throw at("account", "must be an account name");
  if (r.priority !== undefined && !Number.isSafeInteger(r.priority))
    throw at("priority", "must be an integer");
  return Object.freeze({
    name,
    script: script.name,
    args: args.map(String),
    payload: payload as Record<string, string>,
    auth,
    ...(typeof secret === "string" ? { secret } : {}),
    ...(typeof idem === "string" ? { idempotencyKey: idem } : {}),
    ...(rateLimit ? { rateLimit, rateLimitText: String(r.rateLimit) } : {}),
    ...(typeof folder === "string" ? { folder: isAbsolute(folder) ? folder : resolve(base, folder) } : {}),
    settleMs,
    ...(typeof r.account === "string" ? { account: r.account } : {}),
    priority: typeof r.priority === "number" ? r.priority : 0,
  });
}

/** A value of the parameter's type, to check the constants around it. */
function standIn(script: ScriptDefinition, name: string): string {
  const p = script.parameters.find(
    (d) => d.nameLong === name || d.name === name || d.aliases?.includes(name),
  ) as ParameterDefinition;
  switch (p.type) {
    case "integer":
      return "1";
    case "boolean":
      return "true";
    case "date":
      return "2020-01-01";
    case "enum":
      return p.values?.[0] ?? "x";
    default:
      return "x";
  }
}

/** What a trigger is, without its secret: the fields the CLI list and REST view both show. */
export function triggerSummary(t: TriggerDefinition) {
  return {
    name: t.name,
    script: t.script,
    kind: t.folder ? ("folder" as const) : ("webhook" as const),
    auth: t.auth,
    args: t.args,
    payload: t.payload,
    idempotencyKey: t.idempotencyKey ?? null,
    rateLimit: t.rateLimitText ?? null,
    folder: t.folder ?? null,
  };
}
