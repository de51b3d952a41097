import type { ProcessStatus } from "../schema.js";
import type { Db } from "../store.js";

/** Number of processes per status (statuses with none are absent). */
export async function countProcessesByStatus(db: Db): Promise<Map<ProcessStatus, number>> {
  const rows = await db
    .selectFrom("processes")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("status")
    .execute();
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
