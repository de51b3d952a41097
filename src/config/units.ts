/** Small parsers for human-written config values: durations and sizes. */
import { NightshiftError } from "../errors.js";

/**
 * A bad config value: `file:line: key.path: what is wrong`. Throw it with the key path alone; the config layer
 * adds the file and the line (`locateConfigError`).
 */
export class ConfigError extends NightshiftError {
  constructor(
    readonly key: string,
    /** What is wrong, without the key or the place. */
    readonly detail: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(`${file ? `${file}${line ? `:${line}` : ""}: ` : ""}${key}: ${detail}`, "CONFIG_ERROR");
  }
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)?$/;
const DURATION_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `"30s"`, `"100ms"`, `"5m"`, `"2h"`, `"1d"` or a number of milliseconds. */
export function parseDuration(value: unknown, key: string): number {
  if (typeof value === "number" && value >= 0) return value;
  const m = typeof value === "string" ? DURATION.exec(value.trim()) : null;
  if (!m)
    throw new ConfigError(key, `expected a duration like 30s, 100ms, 5m (got ${JSON.stringify(value)})`);
  return Math.round(Number(m[1]) * DURATION_MS[m[2] ?? "ms"]);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|k|m|g)?$/i;
const SIZE_BYTES: Record<string, number> = {
  b: 1,
  k: 1024,
  kb: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
};

/** `"100MB"`, `"512kb"` or a number of bytes. */
export function parseSize(value: unknown, key: string): number {
  if (typeof value === "number" && value >= 0) return value;
  const m = typeof value === "string" ? SIZE.exec(value.trim()) : null;
  if (!m) throw new ConfigError(key, `expected a size like 100MB (got ${JSON.stringify(value)})`);
  return Math.round(Number(m[1]) * SIZE_BYTES[(m[2] ?? "b").toLowerCase()]);
}

export function parsePositiveInt(value: unknown, key: string): number {
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new ConfigError(key, `expected a positive integer (got ${JSON.stringify(value)})`);
  }
  return n;
}
