import type { ProcessFileRow } from "../schema.js";
import type { Db } from "../store.js";

export interface NewProcessFile {
  readonly processId: number;
  readonly type: string;
  readonly name: string;
  readonly path: string;
  readonly size: number | null;
  readonly sha256: string | null;
  readonly createdAt: string;
}

export function insertProcessFile(db: Db, f: NewProcessFile): Promise<ProcessFileRow> {
  return db
    .insertInto("process_files")
    .values({
      process_id: f.processId,
      type: f.type,
      name: f.name,
      path: f.path,
      size: f.size,
      sha256: f.sha256,
      created_at: f.createdAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Files of a process, optionally of one type, in the order they were added. */
export function listProcessFiles(db: Db, processId: number, type?: string): Promise<ProcessFileRow[]> {
  let query = db.selectFrom("process_files").selectAll().where("process_id", "=", processId);
  if (type !== undefined) query = query.where("type", "=", type);
  return query.orderBy("id").execute();
}

/**
 * Lists an output kept with the checkpoints of a running process, or updates the size stored of it: the
 * part a process that dies before it ends leaves. Unhashed (it is still growing); its process's end records
 * it whole (recordOutputs). A file of its type kept by an earlier run of the process (re-queued by a
 * shutdown; its rows are copied into this one) gives way to it.
 */
export async function recordKeptFile(
  db: Db,
  f: Omit<NewProcessFile, "sha256"> & { readonly keptPaths: readonly string[] },
): Promise<void> {
  const updated = await db
    .updateTable("process_files")
    .set({ size: f.size })
    .where("process_id", "=", f.processId)
    .where("path", "=", f.path)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) return;
  await db
    .deleteFrom("process_files")
    .where("process_id", "=", f.processId)
    .where("type", "=", f.type)
    .where("type", "not in", ["inputfile", "log"])
    .where("path", "not in", f.keptPaths)
    .execute();
  const { keptPaths: _, ...file } = f;
  await insertProcessFile(db, { ...file, sha256: null });
}
