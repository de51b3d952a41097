/** Schedules: cron slots fired exactly once through the firing ledger, on any `serve` or `worker`. */
import type { Engine } from "../engine/engine.js";
import { builtInSchedules } from "./built-in.js";
import { configSchedules } from "./config-schedules.js";
import { createScheduler, type Scheduler, type SchedulerOptions } from "./scheduler.js";
import { createScheduleService, type ScheduleService } from "./service.js";
import { createScheduleSource, type ScheduleSource } from "./source.js";

export { RETENTION_DEFAULTS, RETENTION_SCHEDULE } from "./built-in.js";
export type { ScheduleDefinition } from "./definition.js";
export { ScheduleError } from "./definition.js";
export * from "./errors.js";
export type { ScheduleInfo, ScheduleService } from "./service.js";

export interface Schedules {
  readonly source: ScheduleSource;
  readonly service: ScheduleService;
  /** A scheduler on this engine (serve and worker start one). */
  createScheduler(options?: SchedulerOptions): Scheduler;
}

/**
 * Reads the config's `schedules:` and `retention:` (throws ConfigError naming file:line on a bad one), adds
 * the built-in ones, and gives the schedule service and scheduler of an engine.
 */
export function openSchedules(
  engine: Pick<
    Engine,
    "config" | "store" | "service" | "clock" | "workerId" | "scripts" | "events" | "notifications"
  >,
): Schedules {
  const builtIn = builtInSchedules(engine.config, engine.scripts);
  // `retention:` written in the config file makes the built-in a config schedule (read-only through the API).
  const source = createScheduleSource(
    engine.store,
    engine.scripts,
    [...configSchedules(engine.config, engine.scripts), ...(builtIn.fromConfig ? builtIn.schedules : [])],
    builtIn.fromConfig ? [] : builtIn.schedules,
  );
  return {
    source,
    service: createScheduleService(engine, source),
    createScheduler: (options) => createScheduler(engine, source, options),
  };
}
