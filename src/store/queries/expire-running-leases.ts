import type { Db } from "../store.js";

/**
 * Ends the lease of every RUNNING process at `at` (a time in the past). For a restored copy of a data
 * directory: the workers that ran them exist only in the original, so the next start's recovery fails them
 * as lost (with the usual log line) and they can be resumed. Returns how many there were.
 */
export async function expireRunningLeases(db: Db, at: string): Promise<number> {
  const rows = await db
    .updateTable("processes")
    .set({ lease_expires_at: at })
    .where("status", "=", "RUNNING")
    .returning("id")
    .execute();
  return rows.length;
}
