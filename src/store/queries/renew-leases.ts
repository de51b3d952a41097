import type { Db } from "../store.js";

/**
 * The heartbeat: stamps heartbeat_at and extends the lease of every process this worker runs.
 * Returns the ids renewed; a process missing from it is no longer ours (e.g. failed as lost).
 */
export async function renewLeases(
  db: Db,
  workerId: string,
  now: string,
  leaseExpiresAt: string,
): Promise<number[]> {
  const rows = await db
    .updateTable("processes")
    .set({ heartbeat_at: now, lease_expires_at: leaseExpiresAt })
    .where("worker_id", "=", workerId)
    .where("status", "=", "RUNNING")
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}
