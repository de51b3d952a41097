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
