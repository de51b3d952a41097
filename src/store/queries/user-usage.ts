import type { Db } from "../store.js";

/** SCHEDULED processes of one user (waiting in the queue or for a later run_at): `limits.queuedProcesses`. */
export async function countQueuedOf(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("processes")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "SCHEDULED")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Bytes of one user's stored uploads (`inputfile` files) over their processes not yet deleted (a deleted
 * process's file rows go with it): `limits.uploadBytes`.
 */
export async function uploadBytesOf(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("process_files")
    .innerJoin("processes", "processes.id", "process_files.process_id")
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>("process_files.size"), eb.lit(0)).as("bytes"))
    .where("process_files.type", "=", "inputfile")
    .where("processes.user_id", "=", userId)
    .executeTakeFirst();
  return Number(row?.bytes ?? 0);
}
