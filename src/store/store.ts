import type { Kysely } from "kysely";
import type { Schema } from "./schema.js";

/** A query handle: the database itself or a transaction on it. Every query in queries/ takes one. */
export type Db = Kysely<Schema>;

/**
 * The database the engine runs on. Queries live in `queries/` and take `store.db` (or the handle given to
 * `write`); what differs between dialects (connection, migrations, write locking) lives in the dialect folder.
 */
export interface Store {
  readonly dialect: "sqlite";
  readonly db: Db;
  /**
   * Runs `fn` in a write transaction that holds the write lock from its first statement (SQLite: BEGIN
   * IMMEDIATE), retrying on lock contention with jittered backoff. Use the handle given to `fn`, never
   * `store.db`, inside it.
   */
  write<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** ISO-8601 UTC with milliseconds, the one time format of the store. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
