/**
 * The built-in schedules: today one, `retention`, which runs `process-cleaner` every night so that an
 * unattended server never keeps finished processes (and their files) for ever.
 *
 * How it is changed (see docs/deploy.md, "The disk"):
 * - the config key `retention` sets it: `retention: 90` (days), `retention: { days, cron, timezone, enabled }`,
 *   or `retention: false` (no built-in schedule: nothing is deleted by itself). Written in the config file, it
 *   is a config schedule like any other: read-only through the API.
 * - without the key it is the default (180 days, 03:30 every day, the server's time zone) and it is changed
 *   like a stored schedule (REST PATCH, `schedule disable retention`): the first change stores it, and the
 *   stored one then takes its place; removing the stored one brings the default back.
 * - a config schedule named `retention` (`schedules.retention`) replaces it.
 */
import type { NightshiftConfig } from "../config/config.js";
import { whereInFile } from "../config/key-line.js";
import { ConfigError } from "../config/units.js";
import type { ScriptRegistry } from "../engine/registry.js";
import { checkSchedule, type Schedule, ScheduleError } from "./definition.js";

export const RETENTION_SCHEDULE = "retention";
export const RETENTION_DEFAULTS = Object.freeze({ days: 180, cron: "30 3 * * *" });

const RETENTION_KEYS = ["days", "cron", "timezone", "enabled"] as const;

export interface BuiltInSchedules {
  /** The built-in schedules in force (none when `retention: false` or the script is gone). */
  readonly schedules: readonly Schedule[];
  /** Set in the config file (`retention:` written there): read-only through the API. */
  readonly fromConfig: boolean;
}

/**
 * ```ts
 * builtInSchedules(config, scripts).schedules[0].definition
 * // { name: "retention", script: "process-cleaner", args: ["--days", "180"], cron: "30 3 * * *", ... }
 * ```
 * A bad `retention:` throws a ConfigError naming file:line.
 */
export function builtInSchedules(config: NightshiftConfig, scripts: ScriptRegistry): BuiltInSchedules {
  const raw = config.raw.retention;
  const fromConfig = raw !== undefined && raw !== null;
  const none = { schedules: [], fromConfig };
  const schedules = config.raw.schedules as Record<string, unknown> | null | undefined;
  if (schedules && typeof schedules === "object" && Object.hasOwn(schedules, RETENTION_SCHEDULE)) return none;
  if (raw === false || !scripts.get("process-cleaner")) return none;
  const settings = retentionSettings(config, raw);
  try {
    const schedule = checkSchedule(
      RETENTION_SCHEDULE,
      {
        script: "process-cleaner",
        args: ["--days", String(settings.days)],
        cron: settings.cron,
        ...(settings.timezone ? { timezone: settings.timezone } : {}),
        enabled: settings.enabled,
        overlap: "skip",
        // The server was down at 03:30: clean up once when it is back rather than wait a day.
        catchUp: "once",
      },
      scripts,
      fromConfig ? "config" : "builtin",
    );
    return { schedules: [schedule], fromConfig };
  } catch (err) {
    if (!(err instanceof ScheduleError)) throw err;
    const first = err.problems[0];
    const field = first.field === "cron" || first.field === "timezone" ? [first.field] : [];
    throw retentionError(config, field, err.problems.map((p) => p.message).join("; "));
  }
}

interface RetentionSettings {
  readonly days: number;
  readonly cron: string;
  readonly timezone?: string;
  readonly enabled: boolean;
}

/** `retention:` as days (a number) or a mapping; undefined: the defaults. */
function retentionSettings(config: NightshiftConfig, raw: unknown): RetentionSettings {
  const base = { days: RETENTION_DEFAULTS.days, cron: RETENTION_DEFAULTS.cron, enabled: true };
  if (raw === undefined || raw === null || raw === true) return base;
  if (typeof raw === "number") return { ...base, days: checkDays(config, raw, []) };
  if (typeof raw !== "object" || Array.isArray(raw))
    throw retentionError(
      config,
      [],
      `must be a number of days, false, or a mapping with ${RETENTION_KEYS.join(", ")}; got ${JSON.stringify(raw)}`,
    );
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!(RETENTION_KEYS as readonly string[]).includes(key))
      throw retentionError(config, [key], `unknown key (known: ${RETENTION_KEYS.join(", ")})`);
  }
  const text = (key: "cron" | "timezone"): string | undefined => {
    const v = r[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string" || !v.trim())
      throw retentionError(config, [key], `must be a non-empty string, got ${JSON.stringify(v)}`);
    return v;
  };
  if (r.enabled !== undefined && typeof r.enabled !== "boolean")
    throw retentionError(config, ["enabled"], `must be true or false, got ${JSON.stringify(r.enabled)}`);
  const timezone = text("timezone");
  return {
    days: r.days === undefined ? base.days : checkDays(config, r.days, ["days"]),
    cron: text("cron") ?? base.cron,
    ...(timezone ? { timezone } : {}),
    enabled: r.enabled !== false,
  };
}

function checkDays(config: NightshiftConfig, v: unknown, path: string[]): number {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 1) return v;
  throw retentionError(
    config,
    path,
    `must be a whole number of days, 1 or more (false turns retention off), got ${JSON.stringify(v)}`,
  );
}

function retentionError(config: NightshiftConfig, path: string[], message: string): ConfigError {
  const at = ["retention", ...path];
  const where = config.configPath ? whereInFile(config.configPath, at) : undefined;
  return new ConfigError(at.join("."), message, where);
}
