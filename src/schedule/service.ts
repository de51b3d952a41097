/**
 * What the CLI, REST and the web UI do with schedules: list them with their next runs and last process,
 * create, change, enable, disable and remove the stored ones (config-defined ones are read-only), "run now",
 * and the next N run times.
 */
import type { Engine } from "../engine/engine.js";
import type { ProcessRecord } from "../engine/process-record.js";
import { lastProcessOfSchedule } from "../store/queries/schedule-firings.js";
import { getScheduleState, resetScheduleSince } from "../store/queries/schedule-states.js";
import { deleteSchedule, getSchedule, insertSchedule, updateSchedule } from "../store/queries/schedules.js";
import { isoTime } from "../store/store.js";
import { checkSchedule, type Schedule, type ScheduleDefinition } from "./definition.js";
import {
  ScheduleBuiltInError,
  ScheduleExistsError,
  ScheduleNotFoundError,
  ScheduleReadOnlyError,
} from "./errors.js";
import { runNow } from "./ledger.js";
import { rowFields, type ScheduleSource } from "./source.js";

export type ScheduleEngine = Pick<Engine, "store" | "service" | "clock" | "workerId" | "scripts">;

export interface LastProcess {
  readonly id: number;
  readonly status: ProcessRecord["status"];
  readonly scheduledFor: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly exitMessage: string | null;
  /** The batch outcome (`ok`, `warnings`, `errors`) when the process's result has one. */
  readonly outcome: string | null;
}

export interface ScheduleInfo {
  readonly definition: ScheduleDefinition;
  /** Config-defined: changed in the config file only. */
  readonly readOnly: boolean;
  readonly nextRuns: readonly string[];
  readonly lastProcess: LastProcess | null;
  /** The state as the last COMPLETED process left it (null: none yet). */
  readonly state: unknown;
}

export interface ScheduleService {
  list(nextCount?: number): Promise<ScheduleInfo[]>;
  get(name: string, nextCount?: number): Promise<ScheduleInfo>;
  /** Creates a stored schedule from raw fields (REST body, CLI flags); refused like a config entry. */
  create(name: string, fields: Record<string, unknown>): Promise<ScheduleInfo>;
  /** Changes fields of a stored schedule (the others stay). */
  update(name: string, fields: Record<string, unknown>): Promise<ScheduleInfo>;
  setEnabled(name: string, enabled: boolean): Promise<ScheduleInfo>;
  remove(name: string): Promise<void>;
  runNow(name: string, userId?: string): Promise<ProcessRecord>;
  next(name: string, count: number): Promise<string[]>;
}

export function createScheduleService(engine: ScheduleEngine, source: ScheduleSource): ScheduleService {
  const { store, clock } = engine;
  const require = async (name: string): Promise<Schedule> => {
    const s = await source.get(name);
    if (!s) throw new ScheduleNotFoundError(name);
    return s;
  };
  /** The fields of a changeable schedule: a stored one, or a built-in not changed yet (stored on change). */
  const writable = async (name: string): Promise<{ fields: Record<string, unknown>; stored: boolean }> => {
    if (source.isConfigured(name)) throw new ScheduleReadOnlyError(name);
    const row = await getSchedule(store.db, name);
    if (row) return { fields: rowFields(row), stored: true };
    const builtIn = source.builtIn(name);
    if (!builtIn) throw new ScheduleNotFoundError(name);
    return { fields: definitionFields(builtIn.definition), stored: false };
  };
  const change = async (name: string, fields: Record<string, unknown>) => {
    const current = await writable(name);
    const s = checkSchedule(name, { ...current.fields, ...fields }, engine.scripts, "api");
    await save(s, !current.stored);
    return info(s);
  };
  const nextRuns = (s: Schedule, count: number) =>
    s.definition.enabled ? s.cron.next(clock.now(), count).map(isoTime) : [];
  const info = async (s: Schedule, count = 5): Promise<ScheduleInfo> => {
    const [last, state] = await Promise.all([
      lastProcessOfSchedule(store.db, s.definition.name),
      getScheduleState(store.db, s.definition.name),
    ]);
    return {
      definition: s.definition,
      readOnly: s.definition.source === "config",
      nextRuns: nextRuns(s, count),
      lastProcess: last
        ? {
            id: last.id,
            status: last.status,
            scheduledFor: last.scheduled_for,
            startedAt: last.started_at,
            finishedAt: last.finished_at,
            exitMessage: last.exit_message,
            outcome: outcomeOf(last.result),
          }
        : null,
      state: state?.state == null ? null : JSON.parse(state.state),
    };
  };
  /** Stores a checked schedule; slots before now are never fired for it. */
  const save = async (s: Schedule, insert: boolean) => {
    const d = s.definition;
    const now = isoTime(clock.now());
    const fields = {
      script: d.script,
      args: JSON.stringify(d.args),
      cron: d.cron,
      timezone: d.timezone,
      account: d.account ?? null,
      overlap: d.overlap,
      catch_up: d.catchUp,
      priority: d.priority,
      enabled: d.enabled ? 1 : 0,
      updated_at: now,
    };
    await store.write(async (db) => {
      if (insert) {
        if (!(await insertSchedule(db, { name: d.name, created_at: now, ...fields })))
          throw new ScheduleExistsError(d.name);
      } else if (!(await updateSchedule(db, d.name, fields))) throw new ScheduleNotFoundError(d.name);
      await resetScheduleSince(db, d.name, now);
    });
  };
  return {
    async list(count) {
      const { schedules } = await source.list();
      return Promise.all(schedules.map((s) => info(s, count)));
    },
    get: async (name, count) => info(await require(name), count),
    async create(name, fields) {
      if (source.isConfigured(name) || source.builtIn(name)) throw new ScheduleExistsError(name);
      const s = checkSchedule(name, fields, engine.scripts, "api");
      await save(s, true);
      return info(s);
    },
    update: (name, fields) => change(name, fields),
    setEnabled: (name, enabled) => change(name, { enabled }),
    async remove(name) {
      // A built-in is disabled, not removed; removing its stored version brings the default back.
      if (!(await writable(name)).stored) throw new ScheduleBuiltInError(name);
      await store.write((db) => deleteSchedule(db, name));
    },
    runNow: async (name, userId) => runNow(engine, await require(name), userId),
    next: async (name, count) => nextRuns(await require(name), count),
  };
}

/** A definition as the fields checkSchedule reads (a built-in about to be stored). */
function definitionFields(d: ScheduleDefinition): Record<string, unknown> {
  return {
    script: d.script,
    args: [...d.args],
    cron: d.cron,
    timezone: d.timezone,
    ...(d.account ? { account: d.account } : {}),
    overlap: d.overlap,
    catchUp: d.catchUp,
    priority: d.priority,
    enabled: d.enabled,
  };
}

function outcomeOf(result: string | null): string | null {
  if (!result) return null;
  try {
    const parsed = JSON.parse(result) as { outcome?: unknown } | null;
    return typeof parsed?.outcome === "string" ? parsed.outcome : null;
  } catch {
    return null;
  }
}
