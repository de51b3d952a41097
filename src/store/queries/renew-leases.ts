import { sql } from "kysely";
import type { Db } from "../store.js";

/**
 * The heartbeat: stamps heartbeat_at and extends the lease of every process this worker runs.
 * Returns the ids renewed; a process missing from it is no longer ours (e.g. failed as lost).
 * Never moves a lease back: a heartbeat whose write waited (a loaded machine) may come after a claim that set
 * a later lease, and shortening it would have the process taken as lost while it runs. (ISO-8601 UTC text
 * compares in time order.)
 */
export async function renewLeases(
  db: Db,
  workerId: string,
  now: string,
  leaseExpiresAt: string,
): Promise<number[]> {
  const rows = await db
    .updateTable("processes")
    .set({
      heartbeat_at: now,
      lease_expires_at: sql<string>`case when lease_expires_at > ${leaseExpiresAt} then lease_expires_at else ${leaseExpiresAt} end`,
    })
    .where("worker_id", "=", workerId)
    .where("status", "=", "RUNNING")
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}
