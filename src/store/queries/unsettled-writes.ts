import type { Db } from "../store.js";

/** Records a write about to be sent; returns the row's id, to settle it by. */
export async function insertUnsettledWrite(
  db: Db,
  row: { key: string; processId: number | null; createdAt: string },
): Promise<number> {
  const inserted = await db
    .insertInto("unsettled_writes")
    .values({ key: row.key, process_id: row.processId, created_at: row.createdAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** Forgets one write (its outcome is known). */
export async function deleteUnsettledWrite(db: Db, id: number): Promise<void> {
  await db.deleteFrom("unsettled_writes").where("id", "=", id).execute();
}

/** Forgets every write of `key` (what they were to do is known to be done, or known not to be). */
export async function deleteUnsettledWrites(db: Db, key: string): Promise<void> {
  await db.deleteFrom("unsettled_writes").where("key", "=", key).execute();
}

/** The oldest write of `key` still unsettled, if any. */
export function findUnsettledWrite(db: Db, key: string) {
  return db
    .selectFrom("unsettled_writes")
    .select(["id", "process_id", "created_at"])
    .where("key", "=", key)
    .orderBy("id")
    .limit(1)
    .executeTakeFirst();
}
