import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Db } from "../store.js";

export interface PostgresConnectOptions {
  /** Most connections the pool opens (default 10). */
  readonly maxConnections?: number;
}

const INT8_OID = 20;

/**
 * count(*), bigint ids and file sizes arrive as int8, which node-postgres gives as strings (an int8 can
 * exceed 2^53). The store's values stay far below that, and the Schema types them as numbers, as SQLite
 * gives them: this pool parses them to numbers. Only this pool: the global pg.types are left alone.
 */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === INT8_OID && format !== "binary") return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Each handle's pool, for what Kysely cannot run: a binary COPY (copy-out.ts). */
const pools = new WeakMap<Db, pg.Pool>();

/** The pool behind a handle from connectPostgres; undefined for any other (a transaction's, SQLite's). */
export function poolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
}

/**
 * A pool of connections to the database at `url` (`postgres://user:password@host:port/database`).
 * Nothing is sent until the first query.
 */
export function connectPostgres(url: string, options: PostgresConnectOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: "nightshift",
    types,
  });
  // An idle connection that breaks (a server restart) emits here; unhandled, it would end the OS process.
  // The pool drops it, and the next query opens a fresh one and reports any real error itself.
  pool.on("error", () => undefined);
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  return db;
}
