import { CompiledQuery } from "kysely";
import { type Db, isPostgres } from "../store.js";

/**
 * SQLite: `total_changes()` counts every row this connection inserted, updated or deleted (the store's one
 * connection: every write of this OS process), and `data_version` changes whenever another connection (the
 * CLI, another worker, another store on the file) commits. Together they change with every write to the file.
 */
const SQLITE_MARKER = "select total_changes() as c, (select data_version from pragma_data_version) as v";

/**
 * A value that differs after any write to the database, for answers kept while nothing changed (the REST
 * process lists). Another write may also change it (a false alarm only costs a fresh answer). Undefined on
 * PostgreSQL, which has no such cheap marker: nothing may be kept there.
 *
 * ```ts
 * const before = await changeMarker(store.db); // "12:3"
 * await store.write(...);                      // anything
 * (await changeMarker(store.db)) !== before    // true
 * ```
 */
export async function changeMarker(db: Db): Promise<string | undefined> {
  if (isPostgres(db)) return undefined;
  const { rows } = await db.executeQuery<{ c: number; v: number }>(CompiledQuery.raw(SQLITE_MARKER, []));
  return `${rows[0].c}:${rows[0].v}`;
}
