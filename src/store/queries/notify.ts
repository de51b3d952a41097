import { sql } from "kysely";
import { queueWake } from "../sqlite/wake.js";
import { type Db, isPostgres } from "../store.js";

/**
 * The notification channels of the stores: LISTEN/NOTIFY on PostgreSQL, wake files on SQLite
 * (sqlite/wake.ts). A payload is a hint: a receiver re-reads the database, never trusts it alone.
 */
export const CHANNELS = {
  /** A process may be claimable: created, re-queued, released, or a limited script's slot freed. Payload: its id or "". */
  process: "nightshift_process",
  /** Someone asked to cancel a RUNNING process. Payload: its id. */
  cancel: "nightshift_cancel",
  /** A schedule was added, changed, enabled, disabled or removed. Payload: its name. */
  schedule: "nightshift_schedule",
} as const;

/**
 * Sends a notification: PostgreSQL NOTIFY, or on SQLite a wake file for the other OS processes on the data
 * directory (without payload). Inside a transaction it is delivered when that commits, and not at all when it
 * rolls back.
 */
export async function notify(db: Db, channel: string, payload = ""): Promise<void> {
  if (!isPostgres(db)) {
    queueWake(db, channel);
    return;
  }
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}
