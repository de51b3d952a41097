import type { Db } from "../store.js";

export async function updateProgress(db: Db, id: number, done: number, total: number | null): Promise<void> {
  await db
    .updateTable("processes")
    .set({ progress_done: done, progress_total: total })
    .where("id", "=", id)
    .execute();
}
