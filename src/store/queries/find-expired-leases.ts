import type { ProcessRow } from "../schema.js";
import type { Db } from "../store.js";

/** RUNNING processes whose lease ran out before `now`: their worker stopped heartbeating. */
export function findExpiredLeases(db: Db, now: string): Promise<ProcessRow[]> {
  return db
    .selectFrom("processes")
    .selectAll()
    .where("status", "=", "RUNNING")
    .where("lease_expires_at", "<", now)
    .orderBy("id")
    .execute();
}
