import type { Db } from "../store.js";

/** Records a write that was done and what it produced. */
export async function insertWriteHistory(
  db: Db,
  row: { key: string; result: string; processId: number | null; createdAt: string },
): Promise<void> {
  await db
    .insertInto("write_history")
    .values({ key: row.key, result: row.result, process_id: row.processId, created_at: row.createdAt })
    .execute();
}

/** The first time `key` was written, if ever. */
export function findWriteHistory(db: Db, key: string) {
  return db
    .selectFrom("write_history")
    .select(["result", "process_id", "created_at"])
    .where("key", "=", key)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}
