import { type Kysely, PostgresAdapter } from "kysely";
import type { Schema } from "./schema.js";

/** A query handle: the database itself or a transaction on it. Every query in queries/ takes one. */
export type Db = Kysely<Schema>;

/** The database engines the store speaks. */
export type StoreDialect = "sqlite" | "postgres";

/**
 * The database the engine runs on. Queries live in `queries/` and take `store.db` (or the handle given to
 * `write`); what differs between dialects (connection, migrations, write locking) lives in the dialect folder.
 */
export interface Store {
  readonly dialect: StoreDialect;
  readonly db: Db;
  /**
   * Runs `fn` in a write transaction, retrying on lock contention with jittered backoff. SQLite: BEGIN
   * IMMEDIATE holds the one write lock from the first statement, so writers run one at a time. PostgreSQL:
   * READ COMMITTED; the queries that read then write lock what they read (claim, cancel). Use the handle
   * given to `fn`, never `store.db`, inside it.
   */
  write<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Whether a handle talks to PostgreSQL: the few queries whose SQL must differ branch on it.
 *
 * ```ts
 * isPostgres(store.db) // false on the SQLite store
 * ```
 */
export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** ISO-8601 UTC with milliseconds, the one time format of the store. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
