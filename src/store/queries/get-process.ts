import type { ProcessRow } from "../schema.js";
import type { Db } from "../store.js";

export function getProcess(db: Db, id: number): Promise<ProcessRow | undefined> {
  return db.selectFrom("processes").selectAll().where("id", "=", id).executeTakeFirst();
}
