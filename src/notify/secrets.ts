/**
 * Secret references of the notification channels (`env:NAME`, `file:PATH`) and the set of every secret
 * value the config refers to, so that no message can carry one (masked like everywhere else).
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { NightshiftConfig } from "../config/config.js";
import { NightshiftError } from "../errors.js";

export class ChannelSecretError extends NightshiftError {
  constructor(
    readonly channel: string,
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`, "CHANNEL_SECRET");
  }
}

/** Reads `env:NAME` or `file:PATH` (relative to the config file's folder). */
export function readSecretRef(
  ref: string,
  where: { channel: string; key: string },
  env: NodeJS.ProcessEnv,
  baseDir: string,
): string {
  if (ref.startsWith("env:")) {
    const value = env[ref.slice(4)];
    if (!value)
      throw new ChannelSecretError(
        where.channel,
        where.key,
        `environment variable ${ref.slice(4)} is not set`,
      );
    return value;
  }
  if (ref.startsWith("file:")) {
    const path = ref.slice(5);
    try {
      const value = readFileSync(isAbsolute(path) ? path : resolve(baseDir, path), "utf8").trim();
      if (value) return value;
    } catch (err) {
      throw new ChannelSecretError(
        where.channel,
        where.key,
        `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? err}`,
      );
    }
    throw new ChannelSecretError(where.channel, where.key, `${path} is empty`);
  }
  return ref;
}

const SECRET_KEYS = new Set(["secret", "password", "key", "token"]);

/**
 * Every secret value the config refers to (account secrets and keys, channel passwords and signing secrets,
 * webhook URLs given by reference, the database URL's password), read now; those that cannot be read are
 * left out (they cannot leak either).
 */
export function configSecretValues(
  config: Pick<NightshiftConfig, "raw" | "configPath" | "databaseUrl">,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const baseDir = config.configPath ? resolve(config.configPath, "..") : process.cwd();
  const out = new Set<string>();
  const take = (ref: unknown) => {
    if (typeof ref !== "string" || !/^(env|file):/.test(ref)) return;
    try {
      const value = readSecretRef(ref, { channel: "", key: "" }, env, baseDir);
      if (value.length >= 4) out.add(value);
    } catch {
      // unreadable: nothing to mask
    }
  };
  for (const section of ["accounts", "channels"]) {
    const entries = config.raw[section];
    if (typeof entries !== "object" || entries === null) continue;
    for (const entry of Object.values(entries as Record<string, unknown>)) {
      if (typeof entry !== "object" || entry === null) continue;
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (SECRET_KEYS.has(k) || (section === "channels" && k === "url")) take(v);
      }
    }
  }
  if (config.databaseUrl) {
    try {
      const password = decodeURIComponent(new URL(config.databaseUrl).password);
      if (password) out.add(password);
    } catch {
      // not a URL: loadConfig refused it already
    }
  }
  return [...out];
}

/** Replaces each secret value in `text` (longest first, so one inside another goes whole). */
export function createSecretMask(secrets: readonly string[]): (text: string) => string {
  const sorted = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of sorted) if (out.includes(s)) out = out.split(s).join("[REDACTED]");
    return out;
  };
}
