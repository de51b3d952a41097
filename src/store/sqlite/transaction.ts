import { sql } from "kysely";
import type { Db } from "../store.js";
import { withBusyRetry } from "./busy.js";

/**
 * BEGIN IMMEDIATE takes the write lock at the start, so a transaction never upgrades from reader to writer
 * (the case where SQLite answers SQLITE_BUSY at once, ignoring busy_timeout). Kysely's SQLite driver keeps
 * one connection behind a mutex; `connection()` holds it for the whole transaction.
 */
export function writeTransaction<T>(db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  return withBusyRetry(() =>
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw err;
      }
    }),
  );
}
