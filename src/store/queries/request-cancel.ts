import type { ProcessRow, ProcessStatus } from "../schema.js";
import { type Db, isPostgres } from "../store.js";
import { CHANNELS, notify } from "./notify.js";

/**
 * Cancels a process: a SCHEDULED one ends CANCELLED at once; a RUNNING one gets cancel_requested, which its
 * worker sees and turns into an abort. Run inside `store.write`. Returns the status before and the row after.
 * PostgreSQL: the row is read FOR UPDATE, so a claim cannot turn it RUNNING between the read and the
 * update (on SQLite the write lock already excludes that).
 */
export async function requestCancel(
  db: Db,
  id: number,
  now: string,
): Promise<{ previous: ProcessStatus; row: ProcessRow } | undefined> {
  const read = db.selectFrom("processes").selectAll().where("id", "=", id);
  const row = await (isPostgres(db) ? read.forUpdate() : read).executeTakeFirst();
  if (!row) return undefined;
  const update = db.updateTable("processes").where("id", "=", id);
  if (row.status === "SCHEDULED") {
    const after = await update
      .set({
        status: "CANCELLED",
        finished_at: now,
        exit_message: "cancelled before it started",
        worker_id: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { previous: row.status, row: after };
  }
  if (row.status === "RUNNING") {
    const after = await update.set({ cancel_requested: 1 }).returningAll().executeTakeFirstOrThrow();
    // The worker running it may be on another machine: told on commit (it also polls, as the fallback).
    await notify(db, CHANNELS.cancel, String(id));
    return { previous: row.status, row: after };
  }
  return { previous: row.status, row };
}
