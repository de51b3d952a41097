/** The `schedules:` section of the config file, checked when it is loaded: a bad one names file:line. */
import type { NightshiftConfig } from "../config/config.js";
import { whereInFile } from "../config/key-line.js";
import { ConfigError } from "../config/units.js";
import type { ScriptRegistry } from "../engine/registry.js";
import { checkSchedule, type Schedule, ScheduleError } from "./definition.js";

/** Keys other layers read from a schedule's entry (notifications, issue 10). */
export const SCHEDULE_EXTRA_KEYS = ["notify"] as const;

/**
 * ```ts
 * configSchedules(config, scripts) // [{ definition: { name: "weekly-theses", ... }, cron, parameters }]
 * ```
 */
export function configSchedules(config: NightshiftConfig, scripts: ScriptRegistry): Schedule[] {
  const section = config.raw.schedules;
  if (section === undefined || section === null) return [];
  if (typeof section !== "object" || Array.isArray(section))
    throw configError(config, ["schedules"], "must be a mapping of schedule name to settings");
  const out: Schedule[] = [];
  for (const [name, raw] of Object.entries(section as Record<string, unknown>)) {
    try {
      out.push(checkSchedule(name, raw, scripts, "config", SCHEDULE_EXTRA_KEYS));
    } catch (err) {
      if (!(err instanceof ScheduleError)) throw err;
      const first = err.problems[0];
      const field = first.field === "name" || first.field === "schedule" ? [] : [first.field];
      throw configError(
        config,
        ["schedules", name, ...field],
        err.problems
          .map((p) => (p.field === first.field ? p.message : `${p.field}: ${p.message}`))
          .join("; "),
      );
    }
  }
  return out;
}

function configError(config: NightshiftConfig, path: string[], message: string): ConfigError {
  const where = config.configPath ? whereInFile(config.configPath, path) : undefined;
  return new ConfigError(path.join("."), message, where);
}
