/**
 * The scheduler every `serve` and `worker` runs: it wakes at the next slot (at least every `pollMs`, to see
 * schedules made elsewhere), plans each enabled schedule's due slots and fires them through the ledger.
 * Any instance may fire; none is special: the ledger decides who did.
 */
import type { EngineEmitter } from "../engine/events.js";
import { coerceError } from "../errors.js";
import type { NotifyListener } from "../store/postgres/notify.js";
import { CHANNELS } from "../store/queries/notify.js";
import { latestSlot, oldestQueued, schedulesWithQueued } from "../store/queries/schedule-firings.js";
import { ensureScheduleSince, listScheduleStates } from "../store/queries/schedule-states.js";
import { isoTime } from "../store/store.js";
import type { Schedule } from "./definition.js";
import { type FireResult, fireQueuedSlot, fireSlot, type LedgerEngine, recordSlot } from "./ledger.js";
import { planSlots } from "./planner.js";
import type { ScheduleSource } from "./source.js";

export interface SchedulerOptions {
  /** A slot more than this late is missed (catch-up policy) rather than fired: default 60 s. */
  readonly graceMs?: number;
  /** Longest sleep between looks: default 1 s. */
  readonly pollMs?: number;
  /** Told about each slot acted on (logs, tests). */
  readonly onSlot?: (schedule: string, slot: string, result: FireResult) => void;
}

export interface Scheduler {
  start(): void;
  /** Stops the timer and waits for a tick in progress. */
  stop(): Promise<void>;
  /** Looks at every schedule now (tests call it with an injected clock). */
  tick(): Promise<void>;
}

export function createScheduler(
  engine: LedgerEngine & { readonly events: EngineEmitter; readonly notifications?: NotifyListener },
  source: ScheduleSource,
  options: SchedulerOptions = {},
): Scheduler {
  const graceMs = options.graceMs ?? 60_000;
  const pollMs = options.pollMs ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  let offFinished: (() => void) | undefined;
  let offChanged: (() => void) | undefined;
  const report = (err: unknown, context: string) =>
    engine.events.emit("engine:error", { error: coerceError(err), context });
  const told = (name: string, slot: string, result: FireResult) => options.onSlot?.(name, slot, result);

  async function tick(): Promise<number | undefined> {
    const now = engine.clock.now();
    const { schedules } = await source.list();
    const since = new Map((await listScheduleStates(engine.store.db)).map((s) => [s.name, s.since]));
    await fireQueue(schedules);
    let nextSlot: number | undefined;
    for (const schedule of schedules) {
      const def = schedule.definition;
      if (!def.enabled) continue;
      try {
        let start = since.get(def.name);
        if (start === undefined) {
          await engine.store.write((db) => ensureScheduleSince(db, def.name, isoTime(now)));
          start = isoTime(now);
        }
        const last = await latestSlot(engine.store.db, def.name);
        const after = Math.max(Date.parse(start), last ? Date.parse(last) : 0);
        await fireDue(schedule, after, now);
        const [next] = schedule.cron.next(Math.max(now, after), 1);
        if (next !== undefined && (nextSlot === undefined || next < nextSlot)) nextSlot = next;
      } catch (err) {
        report(err, `schedule ${def.name}`);
      }
    }
    return nextSlot;
  }

  async function fireDue(schedule: Schedule, after: number, now: number) {
    const def = schedule.definition;
    const plan = planSlots({ cron: schedule.cron, catchUp: def.catchUp, after, now, graceMs });
    if (plan.missed) {
      const slot = isoTime(plan.missed.latest);
      const result =
        def.catchUp === "once"
          ? await fire(schedule, plan.missed.latest, plan.missed.count)
          : await recordSlot(engine, def.name, slot, "missed", plan.missed.count);
      told(def.name, slot, result);
    }
    for (const slot of plan.onTime) told(def.name, isoTime(slot), await fire(schedule, slot, 0));
  }

  async function fire(schedule: Schedule, slot: number, missed: number): Promise<FireResult> {
    try {
      return await fireSlot(engine, schedule, slot, missed);
    } catch (err) {
      // The process could not be made (e.g. an input file is gone): the slot is recorded as missed, so it
      // is not tried on every tick; the reason goes to the log.
      report(err, `schedule ${schedule.definition.name}, slot ${isoTime(slot)}`);
      return recordSlot(engine, schedule.definition.name, isoTime(slot), "missed", missed + 1);
    }
  }

  async function fireQueue(schedules: readonly Schedule[]) {
    const waiting = new Set(await schedulesWithQueued(engine.store.db));
    for (const schedule of schedules) {
      if (!waiting.has(schedule.definition.name)) continue;
      try {
        const queued = await oldestQueued(engine.store.db, schedule.definition.name);
        if (queued)
          told(schedule.definition.name, queued.slot, await fireQueuedSlot(engine, schedule, queued));
      } catch (err) {
        report(err, `schedule ${schedule.definition.name}`);
      }
    }
  }

  function loop() {
    if (stopped) return;
    running = tick()
      .catch((err) => {
        report(err, "scheduler");
        return undefined;
      })
      .then((next) => {
        running = undefined;
        if (stopped) return;
        const wait = next === undefined ? pollMs : Math.min(pollMs, Math.max(5, next - engine.clock.now()));
        timer = setTimeout(loop, wait);
      });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      // A schedule's process ending may free its queued slot: look at once.
      const now = () => {
        if (!running && !stopped) {
          clearTimeout(timer);
          loop();
        }
      };
      offFinished = engine.events.on("process:finished", ({ process }) => {
        if (process.schedule) now();
      });
      // A schedule added, changed or removed on another node (PostgreSQL): looked at at once, not at the next poll.
      offChanged = engine.notifications?.subscribe(CHANNELS.schedule, now);
      loop();
    },
    async stop() {
      stopped = true;
      offFinished?.();
      offChanged?.();
      clearTimeout(timer);
      await running;
    },
    tick: async () => {
      await tick();
    },
  };
}
