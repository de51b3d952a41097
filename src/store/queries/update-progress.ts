import type { Db } from "../store.js";

/** Records progress; with `workerId`, only while the process is RUNNING under that worker. */
export async function updateProgress(
  db: Db,
  id: number,
  done: number,
  total: number | null,
  workerId?: string,
): Promise<void> {
  let query = db
    .updateTable("processes")
    .set({ progress_done: done, progress_total: total })
    .where("id", "=", id);
  if (workerId !== undefined) query = query.where("status", "=", "RUNNING").where("worker_id", "=", workerId);
  await query.execute();
}
