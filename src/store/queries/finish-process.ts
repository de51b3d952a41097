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
  return query.returningAll().executeTakeFirst();
}
