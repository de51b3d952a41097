import { sql } from "kysely";
import type { Db } from "../store.js";
import { withBusyRetry } from "./busy.js";
import { collectWakes, type WakeSender } from "./wake.js";

/**
 * BEGIN IMMEDIATE takes the write lock at the start, so a transaction never upgrades from reader to writer
 * (the case where SQLite answers SQLITE_BUSY at once, ignoring busy_timeout). Kysely's SQLite driver keeps
 * one connection behind a mutex; `connection()` holds it for the whole transaction. The channels it notifies
 * go to `wake` once it commits (wake.ts).
 */
export function writeTransaction<T>(db: Db, fn: (db: Db) => Promise<T>, wake?: WakeSender): Promise<T> {
  return withBusyRetry(() =>
    db.connection().execute(async (conn) => {
      const wakes = collectWakes(conn);
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        const channels = wakes.take();
        if (channels.size > 0) wake?.(channels);
        return result;
      } catch (err) {
        wakes.take();
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw err;
      }
    }),
  );
}
