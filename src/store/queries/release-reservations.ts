import type { ProcessRow } from "../schema.js";
import type { Db } from "../store.js";
import { CHANNELS, notify } from "./notify.js";

/**
 * SCHEDULED processes reserved for workers that no longer exist (no row in workers), e.g. a
 * `nightshift run` killed before its process started.
 */
export function findOrphanReservations(db: Db): Promise<ProcessRow[]> {
  return db
    .selectFrom("processes")
    .selectAll()
    .where("status", "=", "SCHEDULED")
    .where("worker_id", "is not", null)
    .where("worker_id", "not in", (eb) => eb.selectFrom("workers").select("workers.id"))
    .execute();
}

/** Lets any worker claim a reserved process. */
export async function releaseReservation(db: Db, id: number): Promise<void> {
  await db
    .updateTable("processes")
    .set({ worker_id: null })
    .where("id", "=", id)
    .where("status", "=", "SCHEDULED")
    .execute();
  await notify(db, CHANNELS.process, String(id));
}
