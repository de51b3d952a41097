import { hostname } from "node:os";
import { findExpiredLeases } from "../store/queries/find-expired-leases.js";
import { finishProcess } from "../store/queries/finish-process.js";
import { findOrphanReservations, releaseReservation } from "../store/queries/release-reservations.js";
import {
  findRunningOf,
  findStaleWorkers,
  findWorkersOnHost,
  removeWorker,
} from "../store/queries/workers.js";
import type { ProcessRow } from "../store/schema.js";
import { type Db, isoTime, type Store } from "../store/store.js";
import type { Clock } from "./clock.js";
import type { EngineEmitter } from "./events.js";
import type { FileStore } from "./file-store.js";
import type { FinishHook } from "./finish-hook.js";
import { isGoneHere } from "./liveness.js";
import { endingLine, recordLogFile } from "./log-file.js";
import { toProcessRecord } from "./process-record.js";

export interface RecoveryDeps {
  readonly store: Store;
  readonly events: EngineEmitter;
  readonly dataDir: string;
  readonly files: FileStore;
  readonly clock: Clock;
  /** Run in the transaction that ends each process (the notification outbox). */
  readonly onFinish?: FinishHook;
}

/**
 * The pruner, run at start and on every heartbeat: a RUNNING process whose lease expired lost its worker
 * and becomes FAILED with a log line saying so; workers silent for longer than a lease are forgotten, and
 * SCHEDULED processes reserved for them are released (or FAILED, when their secret values died with them).
 * SCHEDULED processes otherwise stay queued. Returns the processes it failed.
 */
export async function recoverLostProcesses(deps: RecoveryDeps, leaseMs: number): Promise<ProcessRow[]> {
  const now = deps.clock.now();
  const failed: ProcessRow[] = [];
  failed.push(...(await recoverDeadHere(deps)));
  for (const row of await findExpiredLeases(deps.store.db, isoTime(now))) {
    const lost = await failLost(deps, row, now);
    if (lost) failed.push(lost);
  }
  const stale = await findStaleWorkers(deps.store.db, isoTime(now - leaseMs));
  for (const worker of stale) await deps.store.write((db) => removeWorker(db, worker.id));
  for (const row of await findOrphanReservations(deps.store.db)) {
    if (row.secret_keys) {
      const message = `worker ${row.worker_id} that held its secret parameter values is gone; start it again`;
      const done = await failWith(deps, row, now, message, "SCHEDULED");
      if (done) failed.push(done);
    } else {
      await deps.store.write((db) => releaseReservation(db, row.id));
    }
  }
  return failed;
}

/**
 * Workers of this host whose OS process is gone (kill -9, a crash): their RUNNING processes are FAILED at
 * once, without waiting for the lease, and the rows removed; so a `run --resume` or a worker started right
 * after a crash on the same machine goes on at once. (On other hosts only the lease can tell.)
 */
export async function recoverDeadHere(deps: RecoveryDeps): Promise<ProcessRow[]> {
  const dead = (await findWorkersOnHost(deps.store.db, hostname())).filter(isGoneHere);
  if (dead.length === 0) return [];
  const now = deps.clock.now();
  const failed: ProcessRow[] = [];
  for (const row of await findRunningOf(
    deps.store.db,
    dead.map((w) => w.id),
  )) {
    const lost = await failLost(deps, row, now, true);
    if (lost) failed.push(lost);
  }
  for (const worker of dead) await deps.store.write((db) => removeWorker(db, worker.id));
  return failed;
}

async function failLost(deps: RecoveryDeps, row: ProcessRow, now: number, gone = false) {
  const at = isoTime(now);
  // One line whichever way the loss was found (its lease, or its OS process gone from this host).
  const line = `worker ${row.worker_id} lost; last heartbeat ${row.heartbeat_at ?? "never"}; marked FAILED at ${at}`;
  const done = await failWith(deps, row, now, line, gone ? "RUNNING-DEAD" : "RUNNING");
  if (done) {
    deps.events.emit("lease:expired", {
      processId: row.id,
      workerId: row.worker_id,
      lastHeartbeat: row.heartbeat_at,
    });
  }
  return done;
}

async function failWith(deps: RecoveryDeps, row: ProcessRow, now: number, message: string, from: string) {
  const at = isoTime(now);
  const ending = await endingLine(deps.files, row.id, "ERROR", message, now);
  const done = await deps.store.write(async (db) => {
    const finished = await failRow(db, row, at, message, from);
    if (finished) {
      await recordLogFile(db, finished, await ending.append(db), at);
      // Both ways here are a worker that died: under a running process, or holding a queued one's secrets.
      await deps.onFinish?.(db, { row: finished, lost: true });
    }
    return finished;
  });
  if (done) deps.events.emit("process:finished", { process: toProcessRecord(done) });
  return done;
}

async function failRow(db: Db, row: ProcessRow, at: string, message: string, from: string) {
  if (from === "RUNNING-DEAD") {
    // Its worker's OS process is gone: only that worker could still be running it.
    return finishProcess(db, {
      id: row.id,
      workerId: row.worker_id ?? "",
      status: "FAILED",
      finishedAt: at,
      exitMessage: message,
    });
  }
  if (from === "RUNNING") {
    return finishProcess(db, {
      id: row.id,
      status: "FAILED",
      finishedAt: at,
      exitMessage: message,
      leaseExpiredBefore: at,
    });
  }
  return db
    .updateTable("processes")
    .set({ status: "FAILED", finished_at: at, exit_message: message })
    .where("id", "=", row.id)
    .where("status", "=", "SCHEDULED")
    .returningAll()
    .executeTakeFirst();
}
