import type { Store } from "../store.js";
import { connectPostgres, type PostgresConnectOptions } from "./connect.js";
import { migrate } from "./migrations.js";
import { writeTransaction } from "./transaction.js";

/** Whether `url` names a PostgreSQL database (`postgres://` or `postgresql://`). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the PostgreSQL store at `url` and runs pending migrations. Any number of workers, on any machines,
 * may open one database at once.
 *
 * ```ts
 * const store = await openPostgresStore("postgres://nightshift:secret@db.example.org/nightshift");
 * await store.write((db) => db.deleteFrom("workers").execute());
 * ```
 */
export async function openPostgresStore(url: string, options: PostgresConnectOptions = {}): Promise<Store> {
  const db = connectPostgres(url, options);
  try {
    await migrate(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const store: Store = {
    dialect: "postgres",
    db,
    write: (fn) => writeTransaction(db, fn),
    close: () => db.destroy(),
  };
  return Object.freeze(store);
}
