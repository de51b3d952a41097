import type { ProcessStatus } from "../schema.js";
import type { Db } from "../store.js";
import type { ProcessFilter } from "./list-processes.js";

/** What the counts may be narrowed by: the list's filters but status (counted) and paging. */
export type CountFilter = Pick<ProcessFilter, "script" | "userId" | "createdBefore" | "createdAfter">;

/**
 * Number of processes per status (statuses with none are absent), in one GROUP BY: the metrics, and the
 * web UI's status counts (one query, where asking the list once per status cost five counts).
 */
export async function countProcessesByStatus(
  db: Db,
  f: CountFilter = {},
): Promise<Map<ProcessStatus, number>> {
  let q = db.selectFrom("processes").select(["status", (eb) => eb.fn.countAll<number>().as("n")]);
  if (f.script !== undefined) q = q.where("script", "=", f.script);
  if (f.userId !== undefined) q = q.where("user_id", "=", f.userId);
  if (f.createdBefore !== undefined) q = q.where("created_at", "<", f.createdBefore);
  if (f.createdAfter !== undefined) q = q.where("created_at", ">=", f.createdAfter);
  const rows = await q.groupBy("status").execute();
  return new Map(rows.map((r) => [r.status, Number(r.n)]));
}

/** SCHEDULED processes due at `now` (the queue) and those waiting for a later `run_at`. */
export async function countQueue(db: Db, now: string): Promise<{ due: number; delayed: number }> {
  const rows = await db
    .selectFrom("processes")
    .select([(eb) => eb("run_at", "<=", now).as("due"), (eb) => eb.fn.countAll<number>().as("n")])
    .where("status", "=", "SCHEDULED")
    .groupBy("due")
    .execute();
  let due = 0;
  let delayed = 0;
  for (const r of rows) {
    if (Number(r.due) === 1) due = Number(r.n);
    else delayed = Number(r.n);
  }
  return { due, delayed };
}
