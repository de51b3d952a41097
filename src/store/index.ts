export { StoreBusyError, StoreError, StoreVersionError } from "./errors.js";
export type { ProcessSource, ProcessStatus, Schema } from "./schema.js";
export { openSqliteStore, sqliteFile } from "./sqlite/index.js";
export type { Db, Store } from "./store.js";
export { isoTime } from "./store.js";

import { openSqliteStore } from "./sqlite/index.js";
import type { Store } from "./store.js";

/** Opens the store of a data directory (SQLite; PostgreSQL will be chosen here by NIGHTSHIFT_DATABASE_URL). */
export function openStore(dataDir: string): Promise<Store> {
  return openSqliteStore(dataDir);
}
