/**
 * The firing ledger: a slot becomes a process in one transaction with its ledger row, unique per
 * (schedule, slot), so whichever instance tries first fires it and the others find it taken; a crash before
 * the commit leaves neither, and the slot is fired by the next tick of any instance.
 * Overlap is decided in the same transaction (PostgreSQL: under a per-schedule advisory lock).
 */
import { resolve } from "node:path";
import type { Engine } from "../engine/engine.js";
import type { ProcessRecord } from "../engine/process-record.js";
import { NightshiftError } from "../errors.js";
import {
  fireQueued,
  insertFiring,
  lockSchedule,
  oldestQueued,
  unfinishedOfSchedule,
} from "../store/queries/schedule-firings.js";
import type { ScheduleFiringRow } from "../store/schema.js";
import { type Db, isoTime } from "../store/store.js";
import type { Schedule } from "./definition.js";

export type LedgerEngine = Pick<Engine, "store" | "service" | "clock" | "workerId">;

export type FireResult =
  | { readonly kind: "fired"; readonly process: ProcessRecord }
  | { readonly kind: "skipped" | "queued" | "missed" | "taken" };

/** Thrown inside the transaction to roll it back: the slot is not to get this process. */
class NotThisProcess extends NightshiftError {
  constructor(readonly outcome: "taken" | "skipped" | "queued") {
    super(`slot ${outcome}`, "SLOT_NOT_FIRED");
  }
}

/** Fires one slot (exactly once across instances). `missed` > 0: this run also stands for missed slots. */
export async function fireSlot(
  engine: LedgerEngine,
  schedule: Schedule,
  slot: number,
  missed = 0,
): Promise<FireResult> {
  const { definition: def } = schedule;
  const slotIso = isoTime(slot);
  try {
    const process = await startProcess(engine, schedule, slotIso, async (db, processId) => {
      await lockSchedule(db, def.name);
      const recorded = await insertFiring(db, {
        schedule: def.name,
        slot: slotIso,
        kind: "fired",
        process_id: processId,
        missed,
        worker_id: engine.workerId,
        created_at: isoTime(engine.clock.now()),
      });
      if (!recorded) throw new NotThisProcess("taken");
      if (def.overlap === "allow") return;
      const others = (await unfinishedOfSchedule(db, def.name)).filter((id) => id !== processId);
      const waiting = def.overlap === "queue" && (await oldestQueued(db, def.name)) !== undefined;
      if (others.length > 0 || waiting)
        throw new NotThisProcess(def.overlap === "queue" ? "queued" : "skipped");
    });
    return { kind: "fired", process };
  } catch (err) {
    if (!(err instanceof NotThisProcess)) throw err;
    if (err.outcome === "taken") return { kind: "taken" };
    return recordSlot(engine, def.name, slotIso, err.outcome, missed);
  }
}

/** Records a slot that gets no process (skipped by overlap, queued, missed); "taken" if it was there. */
export async function recordSlot(
  engine: LedgerEngine,
  schedule: string,
  slotIso: string,
  kind: "skipped" | "queued" | "missed",
  missed = 0,
): Promise<FireResult> {
  const recorded = await engine.store.write(async (db) => {
    await lockSchedule(db, schedule);
    return insertFiring(db, {
      schedule,
      slot: slotIso,
      kind,
      process_id: null,
      missed,
      worker_id: engine.workerId,
      created_at: isoTime(engine.clock.now()),
    });
  });
  return recorded ? { kind } : { kind: "taken" };
}

/** Starts the oldest queued slot of a schedule once no process of it is unfinished. */
export async function fireQueuedSlot(
  engine: LedgerEngine,
  schedule: Schedule,
  queued: ScheduleFiringRow,
): Promise<FireResult> {
  try {
    const process = await startProcess(engine, schedule, queued.slot, async (db, processId) => {
      await lockSchedule(db, schedule.definition.name);
      const others = (await unfinishedOfSchedule(db, schedule.definition.name)).filter(
        (id) => id !== processId,
      );
      if (others.length > 0) throw new NotThisProcess("queued");
      const oldest = await oldestQueued(db, schedule.definition.name);
      if (oldest?.id !== queued.id || !(await fireQueued(db, queued.id, processId, engine.workerId)))
        throw new NotThisProcess("taken");
    });
    return { kind: "fired", process };
  } catch (err) {
    if (!(err instanceof NotThisProcess)) throw err;
    return { kind: err.outcome === "queued" ? "queued" : "taken" };
  }
}

/** "Run now": the schedule's script with its parameters, once, outside the slot sequence. */
export function runNow(engine: LedgerEngine, schedule: Schedule, userId?: string): Promise<ProcessRecord> {
  return startProcess(engine, schedule, undefined, undefined, userId);
}

function startProcess(
  engine: LedgerEngine,
  schedule: Schedule,
  slotIso: string | undefined,
  ledger: ((db: Db, processId: number) => Promise<void>) | undefined,
  userId?: string,
): Promise<ProcessRecord> {
  const { definition: def, parameters } = schedule;
  return engine.service.createProcess({
    script: def.script,
    parameters,
    startedBy: {
      source: "schedule",
      schedule: def.name,
      ...(slotIso ? { scheduledFor: slotIso } : {}),
      ...(userId ? { userId } : {}),
    },
    priority: def.priority,
    account: def.account,
    uploads: parameters.files.map((f) => ({ name: f, path: resolve(f) })),
    ...(ledger ? { inTransaction: (db, row) => ledger(db, row.id) } : {}),
  });
}
