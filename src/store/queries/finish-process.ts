import { sql } from "kysely";
import { withBusyRetry } from "../postgres/busy.js";
import type { ProcessOutcome, ProcessRow, ProcessStatus } from "../schema.js";
import type { Db } from "../store.js";

export interface Finish {
  readonly id: number;
  /** Only if still RUNNING under this worker (undefined: whoever runs it, e.g. recovery). */
  readonly workerId?: string;
  /** Only if its lease expired before this time (recovery of a lost worker's process). */
  readonly leaseExpiredBefore?: string;
  readonly status: Exclude<ProcessStatus, "SCHEDULED" | "RUNNING">;
  readonly finishedAt: string;
  readonly exitMessage: string | null;
  readonly result?: string | null;
  readonly progressDone?: number | null;
  readonly progressTotal?: number | null;
  readonly outcome?: ProcessOutcome | null;
  /** JSON of the outcome's counts. */
  readonly outcomeCounts?: string | null;
}

/** Ends a RUNNING process. Returns the row, or undefined when it was not RUNNING (under that worker). */
export function finishProcess(db: Db, f: Finish): Promise<ProcessRow | undefined> {
  return finishQuery(db, f).returningAll().executeTakeFirst();
}

/** The `log` file of a process as it is recorded when the process ends. */
export interface LogFileRecord {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/**
 * PostgreSQL: ends a RUNNING process, records its log as its `log` file (in place of an earlier run's) and
 * notifies `notifyChannel` with its id, in ONE statement: atomic on its own, so no transaction and no BEGIN and
 * COMMIT round trips (what finishProcess + recordLogFile in a transaction do in five). The notification is
 * delivered once the statement commits, like one sent inside a transaction. Run it on the pool (`store.db`).
 */
export async function finishWithLog(
  db: Db,
  f: Finish,
  log: LogFileRecord | undefined,
  notifyChannel: string,
): Promise<ProcessRow | undefined> {
  const done = finishQuery(db, f).returningAll();
  const recorded = log
    ? sql`, gone as (
        delete from process_files where process_id in (select id from done) and type = 'log'
      ), logged as (
        insert into process_files (process_id, type, name, path, size, sha256, created_at)
        select id, 'log', ${log.name}::text, ${log.path}::text, ${log.size}::bigint, ${log.sha256}::text,
          ${f.finishedAt}::text from done
      )`
    : sql``;
  // Run again whole after a deadlock, as a transaction would be.
  const { rows } = await withBusyRetry(() =>
    sql<ProcessRow & { notified?: unknown }>`with done as (${done})${recorded}
      select done.*, pg_notify(${notifyChannel}, done.id::text) as notified from done`.execute(db),
  );
  const row = rows[0];
  if (!row) return undefined;
  delete row.notified;
  return row;
}

function finishQuery(db: Db, f: Finish) {
  let query = db
    .updateTable("processes")
    .set({
      status: f.status,
      finished_at: f.finishedAt,
      exit_message: f.exitMessage,
      lease_expires_at: null,
      ...(f.result !== undefined ? { result: f.result } : {}),
      ...(f.progressDone !== undefined ? { progress_done: f.progressDone } : {}),
      ...(f.progressTotal !== undefined ? { progress_total: f.progressTotal } : {}),
      ...(f.outcome ? { outcome: f.outcome, outcome_counts: f.outcomeCounts ?? null } : {}),
    })
    .where("id", "=", f.id)
    .where("status", "=", "RUNNING");
  if (f.workerId !== undefined) query = query.where("worker_id", "=", f.workerId);
  if (f.leaseExpiredBefore !== undefined) query = query.where("lease_expires_at", "<", f.leaseExpiredBefore);
  return query;
}
