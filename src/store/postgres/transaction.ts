import type { Db } from "../store.js";
import { withBusyRetry } from "./busy.js";

/**
 * A READ COMMITTED transaction on one pooled connection, run again whole after a deadlock. Unlike SQLite's
 * BEGIN IMMEDIATE it does not exclude other writers: a query that reads and then writes on what it read
 * locks the rows (FOR UPDATE, SKIP LOCKED for the claim) or takes an advisory lock (per-script limits,
 * migrations), so writers only wait for each other where they touch the same thing.
 */
export function writeTransaction<T>(db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  return withBusyRetry(() => db.transaction().execute(fn));
}
