/**
 * Options every process command shares: `--data-dir` (or NIGHTSHIFT_DATA_DIR), `--config` (or
 * NIGHTSHIFT_CONFIG), `--json`, `--help`; and a small flag parser for each command's own options.
 */
import { configError, type LoadConfigOptions, loadConfig, type NightshiftConfig } from "../config/config.js";
import { type Engine, openEngine } from "../engine/engine.js";
import { NightshiftError } from "../errors.js";
import { parseNotifyConfig } from "../notify/config.js";
import { builtInScripts } from "../scripts/index.js";
import { INLINE_REFUSED, inlineSecretProblem } from "../worldcat/accounts.js";

/** A wrong command line: printed with the command's usage; exit code 2. */
export class UsageError extends NightshiftError {
  constructor(message: string) {
    super(message, "USAGE");
  }
}

export type FlagSpec = Record<string, { readonly type: "boolean" | "string"; readonly short?: string }>;

export interface ParsedArgs {
  readonly flags: Record<string, string | boolean | undefined>;
  readonly positionals: string[];
  /** Everything after the first positional, untouched (when `stopAtPositional`). */
  readonly rest: string[];
}

/** The global flags, accepted by every process command. */
export const GLOBAL_FLAGS: FlagSpec = {
  "data-dir": { type: "string" },
  config: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

/**
 * Parses `--name value`, `--name=value`, `-x value` and boolean `--name`. With `stopAtPositional`, the
 * first positional and all after it are left for someone else (`run <script> [script parameters]`).
 *
 * ```ts
 * parseArgs(["--json", "--status", "FAILED"], { status: { type: "string" } })
 * // { flags: { json: true, status: "FAILED" }, positionals: [], rest: [] }
 * ```
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec, stopAtPositional = false): ParsedArgs {
  const all: FlagSpec = { ...GLOBAL_FLAGS, ...spec };
  const flags: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith("-") || token === "-") {
      if (stopAtPositional) return { flags, positionals: [token], rest: argv.slice(i + 1) };
      positionals.push(token);
      continue;
    }
    const [rawName, inline] = token.startsWith("--")
      ? splitInline(token.slice(2))
      : [token.slice(1), undefined];
    const name = token.startsWith("--") ? rawName : Object.keys(all).find((k) => all[k].short === rawName);
    const def = name === undefined ? undefined : all[name];
    if (!def || name === undefined) throw new UsageError(`unknown option '${token}'`);
    if (def.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`option '--${name}' takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`option '--${name}' needs a value`);
    flags[name] = value;
  }
  return { flags, positionals, rest: [] };
}

function splitInline(body: string): [string, string | undefined] {
  const eq = body.indexOf("=");
  return eq < 0 ? [body, undefined] : [body.slice(0, eq), body.slice(eq + 1)];
}

/** The configuration for a command: its flags over the environment over the config file. */
export async function loadCliConfig(
  flags: ParsedArgs["flags"],
  extra: LoadConfigOptions = {},
): Promise<NightshiftConfig> {
  const config = await loadConfig({
    dataDir: flags["data-dir"] as string | undefined,
    configPath: flags.config as string | undefined,
    ...extra,
  });
  // Every file this command creates (the database, logs, a script's outputs) is for the service account only.
  process.umask(0o077);
  // Refused when the file is read, by every command, not only when a process first uses the account.
  const inline = inlineSecretProblem(config.accounts);
  if (inline) throw configError(config, `accounts.${inline.account}.${inline.key}`, INLINE_REFUSED);
  parseNotifyConfig(config); // channels and rules: refused with file:line when the file is read
  return config;
}

/** Opens the engine for a command, runs `fn`, and always closes it. */
export async function withEngine<T>(
  flags: ParsedArgs["flags"],
  fn: (engine: Engine) => Promise<T>,
): Promise<T> {
  const engine = await openEngine({ config: await loadCliConfig(flags), builtInScripts });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/** A positive process id from the command line. */
export function parseProcessId(raw: string | undefined): number {
  if (raw === undefined) throw new UsageError("a process id is needed");
  if (!/^\d+$/.test(raw)) throw new UsageError(`not a process id: '${raw}'`);
  return Number(raw);
}

/** Runs a command body: usage errors print the usage and give 2; errors we made print their message and give 1. */
export async function runCommand(name: string, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`nightshift ${name}: ${err.message}\n${usage}`);
      return 2;
    }
    if (err instanceof NightshiftError) {
      process.stderr.write(`nightshift ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
