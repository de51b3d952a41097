import type { ProcessRow, WorkerRow } from "../schema.js";
import type { Db } from "../store.js";

/** Registers a worker (one dispatcher in one OS process). */
export async function registerWorker(db: Db, w: WorkerRow): Promise<void> {
  await db.insertInto("workers").values(w).execute();
}

export async function touchWorker(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable("workers").set({ heartbeat_at: now }).where("id", "=", id).execute();
}

export async function removeWorker(db: Db, id: string): Promise<void> {
  await db.deleteFrom("workers").where("id", "=", id).execute();
}

/** Workers not heard from since `before`. */
export function findStaleWorkers(db: Db, before: string): Promise<WorkerRow[]> {
  return db.selectFrom("workers").selectAll().where("heartbeat_at", "<", before).execute();
}

/** Workers registered from this host (their pids can be checked here). */
export function findWorkersOnHost(db: Db, host: string): Promise<WorkerRow[]> {
  return db.selectFrom("workers").selectAll().where("host", "=", host).execute();
}

/** RUNNING processes of these workers. */
export function findRunningOf(db: Db, workerIds: readonly string[]): Promise<ProcessRow[]> {
  if (workerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("processes")
    .selectAll()
    .where("status", "=", "RUNNING")
    .where("worker_id", "in", [...workerIds])
    .orderBy("id")
    .execute();
}

export function findWorker(db: Db, id: string): Promise<WorkerRow | undefined> {
  return db.selectFrom("workers").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Registers a worker or refreshes its heartbeat (a worker pruned while paused comes back). */
export async function upsertWorker(db: Db, w: WorkerRow): Promise<void> {
  await db
    .insertInto("workers")
    .values(w)
    .onConflict((oc) => oc.column("id").doUpdateSet({ heartbeat_at: w.heartbeat_at }))
    .execute();
}
