import { join } from "node:path";
import type { Store } from "../store.js";
import { connectSqlite, type SqliteConnectOptions } from "./connect.js";
import { migrate } from "./migrations.js";
import { preMigrationCopyName, snapshotSqlite } from "./snapshot.js";
import { writeTransaction } from "./transaction.js";
import { registerWakeSender, wakeSender } from "./wake.js";

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
  const file = sqliteFile(dataDir);
  const db = await connectSqlite(file, options);
  try {
    // A database that already holds data is copied beside itself before any migration touches it: an upgrade
    // that goes wrong can be undone by putting the copy back. Taken under the migration's write lock, so
    // several OS processes starting at once copy (and migrate) once.
    await migrate(db, Date.now, async (current, pending) => {
      if (current === 0) return;
      const to = pending[pending.length - 1].version;
      await snapshotSqlite(file, preMigrationCopyName(file, to, Date.now()));
    });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  // Notifications reach the other OS processes on this data directory as wake files (wake.ts).
  const wake = wakeSender(dataDir);
  registerWakeSender(db, wake);
  const store: Store = {
    dialect: "sqlite",
    db,
    write: (fn) => writeTransaction(db, fn, wake),
    close: () => db.destroy(),
  };
  return Object.freeze(store);
}
