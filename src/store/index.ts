export { StoreBusyError, StoreError, StoreVersionError } from "./errors.js";
export type { ProcessSource, ProcessStatus, Schema } from "./schema.js";
export { openSqliteStore, sqliteFile } from "./sqlite/index.js";
export type { Db, Store, StoreDialect } from "./store.js";
export { isoTime } from "./store.js";

import { openSqliteStore } from "./sqlite/index.js";
import type { Store } from "./store.js";

/** Where the store lives: a data directory (SQLite), unless a PostgreSQL URL is given. */
export interface StoreLocation {
  readonly dataDir: string;
  /** `postgres://…`: the shared PostgreSQL database (see the config's `databaseUrl`). */
  readonly databaseUrl?: string;
}

/**
 * Opens the store: PostgreSQL when a database URL is given, else the SQLite file of the data directory.
 * The PostgreSQL code (and the pg driver) is loaded only then.
 *
 * ```ts
 * await openStore(config)          // config.databaseUrl ? PostgreSQL : SQLite under config.dataDir
 * await openStore("./nightshift-data") // SQLite
 * ```
 */
export async function openStore(location: string | StoreLocation): Promise<Store> {
  const { dataDir, databaseUrl } = typeof location === "string" ? { dataDir: location } : location;
  if (databaseUrl) {
    const { openPostgresStore } = await import("./postgres/index.js");
    return openPostgresStore(databaseUrl);
  }
  return openSqliteStore(dataDir);
}
