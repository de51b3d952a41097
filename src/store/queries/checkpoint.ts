import type { Db } from "../store.js";

/** Saves a process's checkpoint (JSON text). */
export async function saveCheckpoint(db: Db, id: number, json: string): Promise<void> {
  await db.updateTable("processes").set({ checkpoint: json }).where("id", "=", id).execute();
}

/** Reads a process's checkpoint and the process it resumes from. */
export function readCheckpoint(db: Db, id: number) {
  return db
    .selectFrom("processes")
    .select(["checkpoint", "resumed_from"])
    .where("id", "=", id)
    .executeTakeFirst();
}
