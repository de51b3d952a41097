import type { Db } from "../store.js";

/** Deletes a process that is not RUNNING (its file rows go by cascade). Returns whether a row went. */
export async function deleteProcess(db: Db, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom("processes")
    .where("id", "=", id)
    .where("status", "!=", "RUNNING")
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
