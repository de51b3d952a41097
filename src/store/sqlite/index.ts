import { join } from "node:path";
import type { Store } from "../store.js";
import { connectSqlite, type SqliteConnectOptions } from "./connect.js";
import { migrate } from "./migrations.js";
import { writeTransaction } from "./transaction.js";

/** The SQLite file inside a data directory. */
export function sqliteFile(dataDir: string): string {
  return join(dataDir, "nightshift.db");
}

/**
 * Opens the SQLite store of a data directory and runs pending migrations.
 *
 * ```ts
 * const store = await openSqliteStore("./nightshift-data");
 * await store.write((db) => db.deleteFrom("workers").execute());
 * ```
 */
export async function openSqliteStore(dataDir: string, options: SqliteConnectOptions = {}): Promise<Store> {
  const db = await connectSqlite(sqliteFile(dataDir), options);
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const store: Store = {
    dialect: "sqlite",
    db,
    write: (fn) => writeTransaction(db, fn),
    close: () => db.destroy(),
  };
  return Object.freeze(store);
}
