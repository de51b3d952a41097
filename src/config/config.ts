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
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { ConfigError, parseDuration, parsePositiveInt, parseSize } from "./units.js";

export interface ScriptConfig {
  readonly maxConcurrent?: number;
  readonly timeoutMs?: number;
  /** Roles (besides admin) allowed to run the script. */
  readonly roles?: readonly string[];
}

export interface NightshiftConfig {
  readonly dataDir: string;
  /**
   * `postgres://…`: the store is this PostgreSQL database, shared by any number of workers (files and logs
   * stay under dataDir). Absent: the SQLite file under dataDir. A secret: never logged or shown.
   */
  readonly databaseUrl?: string;
  readonly configPath?: string;
  readonly port: number;
  readonly host: string;
  readonly concurrency: number;
  readonly heartbeatMs: number;
  readonly leaseMs: number;
  readonly uploadLimitBytes: number;
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
} as const;

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
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
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new ConfigError("config", `not valid YAML or JSON: ${(err as Error).message}`, path);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== "object" || Array.isArray(data))
    throw new ConfigError("config", "must be a mapping", path);
  return data as Record<string, unknown>;
}

function parseScripts(raw: unknown, file?: string): Record<string, ScriptConfig> {
  if (raw === undefined) return {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError("scripts", "must be a mapping of script name to settings", file);
  }
  const out: Record<string, ScriptConfig> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const v = (value ?? {}) as Record<string, unknown>;
    const key = `scripts.${name}`;
    if (v.roles !== undefined && (!Array.isArray(v.roles) || v.roles.some((r) => typeof r !== "string"))) {
      throw new ConfigError(`${key}.roles`, "must be a list of role names", file);
    }
    out[name] = {
      maxConcurrent:
        v.maxConcurrent === undefined ? undefined : parsePositiveInt(v.maxConcurrent, `${key}.maxConcurrent`),
      timeoutMs: v.timeout === undefined ? undefined : parseDuration(v.timeout, `${key}.timeout`),
      roles: v.roles as string[] | undefined,
    };
  }
  return out;
}

/** Loads the configuration; throws ConfigError naming the file and key on bad input. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<NightshiftConfig> {
  const configPath = resolveConfigPath(options);
  try {
    return await build(options, configPath);
  } catch (err) {
    // Values are checked deep inside; the file they came from is added here, once.
    if (err instanceof ConfigError && !err.file && configPath)
      throw new ConfigError(err.key, err.message.slice(err.key.length + 2), configPath);
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

/** `NIGHTSHIFT_DATABASE_URL` over the file's `databaseUrl`; checked without echoing it (it holds a password). */
function parseDatabaseUrl(raw: unknown, key: string): string | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw !== "string" || !/^postgres(ql)?:\/\/[^\s]+$/i.test(raw)) {
    throw new ConfigError(key, "must be a postgres:// or postgresql:// URL");
  }
  return raw;
}

async function build(options: LoadConfigOptions, configPath: string | undefined): Promise<NightshiftConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = configPath ? await readConfigFile(configPath) : {};
  const base = configPath ? dirname(configPath) : cwd;
  const dataDirRaw =
    options.dataDir ?? env.NIGHTSHIFT_DATA_DIR ?? (file.dataDir as string | undefined) ?? DEFAULTS.dataDir;
  const portRaw = options.port ?? env.NIGHTSHIFT_PORT ?? file.port ?? DEFAULTS.port;
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError("port", `not a TCP port: ${portRaw}`);
  const { heartbeatMs, leaseMs } = parseLease(file);
  const modules = file.scriptModules ?? [];
  if (!Array.isArray(modules) || modules.some((m) => typeof m !== "string")) {
    throw new ConfigError("scriptModules", "must be a list of module paths", configPath);
  }
  const accounts = file.accounts ?? {};
  if (typeof accounts !== "object" || accounts === null || Array.isArray(accounts)) {
    throw new ConfigError("accounts", "must be a mapping of account name to settings", configPath);
  }
  const databaseUrl = env.NIGHTSHIFT_DATABASE_URL
    ? parseDatabaseUrl(env.NIGHTSHIFT_DATABASE_URL, "NIGHTSHIFT_DATABASE_URL")
    : parseDatabaseUrl(file.databaseUrl, "databaseUrl");
  return Object.freeze({
    dataDir: resolve(cwd, String(dataDirRaw)),
    ...(databaseUrl ? { databaseUrl } : {}),
    configPath,
    port,
    host: String(env.NIGHTSHIFT_HOST ?? file.host ?? DEFAULTS.host),
    concurrency:
      env.NIGHTSHIFT_CONCURRENCY !== undefined
        ? parsePositiveInt(env.NIGHTSHIFT_CONCURRENCY, "NIGHTSHIFT_CONCURRENCY")
        : file.concurrency === undefined
          ? DEFAULTS.concurrency
          : parsePositiveInt(file.concurrency, "concurrency"),
    heartbeatMs,
    leaseMs,
    uploadLimitBytes:
      file.uploadLimit === undefined ? DEFAULTS.uploadLimitBytes : parseSize(file.uploadLimit, "uploadLimit"),
    scripts: parseScripts(file.scripts, configPath),
    scriptModules: (modules as string[]).map((m) => resolve(base, m)),
    accounts: accounts as Record<string, unknown>,
    raw: file,
  });
}
