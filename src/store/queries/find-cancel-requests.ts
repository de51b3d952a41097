import type { Db } from "../store.js";

/** Ids of this worker's RUNNING processes that someone asked to cancel (maybe from another OS process). */
export async function findCancelRequests(db: Db, workerId: string): Promise<number[]> {
  const rows = await db
    .selectFrom("processes")
    .select("id")
    .where("worker_id", "=", workerId)
    .where("status", "=", "RUNNING")
    .where("cancel_requested", "=", 1)
    .execute();
  return rows.map((r) => r.id);
}
