/**
 * All schedules: those of the config file (read-only through the API), the built-in ones (src/schedule/
 * built-in.ts: a stored schedule of the same name takes a built-in's place) and those in the store.
 */
import type { ScriptRegistry } from "../engine/registry.js";
import { getSchedule, listSchedules } from "../store/queries/schedules.js";
import type { ScheduleRow } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { checkSchedule, type Schedule, ScheduleError } from "./definition.js";

export interface ScheduleSource {
  /** Every schedule, config first; a stored one that no longer checks (its script is gone) is left out. */
  list(): Promise<{ schedules: Schedule[]; broken: ScheduleError[] }>;
  get(name: string): Promise<Schedule | undefined>;
  isConfigured(name: string): boolean;
  /** The built-in default of this name (whether or not a stored schedule has taken its place). */
  builtIn(name: string): Schedule | undefined;
}

export function createScheduleSource(
  store: Store,
  scripts: ScriptRegistry,
  fromConfig: readonly Schedule[],
  builtIns: readonly Schedule[] = [],
): ScheduleSource {
  const configured = new Map(fromConfig.map((s) => [s.definition.name, s]));
  const defaults = new Map(
    builtIns.filter((s) => !configured.has(s.definition.name)).map((s) => [s.definition.name, s]),
  );
  const load = (row: ScheduleRow) => checkSchedule(row.name, rowFields(row), scripts, "api");
  return {
    async list() {
      const schedules = [...fromConfig];
      const broken: ScheduleError[] = [];
      const stored: Schedule[] = [];
      const rows = await listSchedules(store.db);
      for (const row of rows) {
        if (configured.has(row.name)) continue;
        try {
          stored.push(load(row));
        } catch (err) {
          if (!(err instanceof ScheduleError)) throw err;
          broken.push(err);
        }
      }
      const storedNames = new Set(rows.map((r) => r.name));
      for (const [name, s] of defaults) if (!storedNames.has(name)) schedules.push(s);
      return { schedules: [...schedules, ...stored], broken };
    },
    async get(name) {
      const fixed = configured.get(name);
      if (fixed) return fixed;
      const row = await getSchedule(store.db, name);
      return row ? load(row) : defaults.get(name);
    },
    isConfigured: (name) => configured.has(name),
    builtIn: (name) => defaults.get(name),
  };
}

/** A stored row as the fields checkSchedule reads. */
export function rowFields(row: ScheduleRow): Record<string, unknown> {
  return {
    script: row.script,
    args: JSON.parse(row.args) as string[],
    cron: row.cron,
    timezone: row.timezone,
    ...(row.account ? { account: row.account } : {}),
    overlap: row.overlap,
    catchUp: row.catch_up,
    priority: row.priority,
    enabled: row.enabled === 1,
  };
}
