import type { Db } from "../store.js";

/**
 * Saves a process's checkpoint (JSON text). With `workerId`, only while the process is RUNNING under that
 * worker; returns whether it was saved.
 */
export async function saveCheckpoint(db: Db, id: number, json: string, workerId?: string): Promise<boolean> {
  let query = db.updateTable("processes").set({ checkpoint: json }).where("id", "=", id);
  if (workerId !== undefined) query = query.where("status", "=", "RUNNING").where("worker_id", "=", workerId);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Reads a process's checkpoint and the process it resumes from. */
export function readCheckpoint(db: Db, id: number) {
  return db
    .selectFrom("processes")
    .select(["checkpoint", "resumed_from"])
    .where("id", "=", id)
    .executeTakeFirst();
}
