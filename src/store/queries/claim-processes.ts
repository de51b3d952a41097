import type { ProcessRow } from "../schema.js";
import type { Db } from "../store.js";

export interface ClaimRequest {
  readonly workerId: string;
  readonly now: string;
  readonly leaseExpiresAt: string;
  /** How many to claim at most (the worker's free slots). */
  readonly max: number;
  /** Scripts this worker can run, with their concurrency limit across all workers (undefined = none). */
  readonly scripts: ReadonlyMap<string, number | undefined>;
  /** Claim only these processes (a foreground `nightshift run`). */
  readonly onlyIds?: readonly number[];
}

/**
 * Claims up to `max` due SCHEDULED processes, oldest first by priority, run_at, id, honouring per-script
 * limits by counting RUNNING processes of the script. Run it inside `store.write` (the write lock makes
 * count-then-update safe across OS processes; PostgreSQL would use FOR UPDATE SKIP LOCKED instead).
 * A SCHEDULED row with a worker_id is reserved for that worker.
 */
export async function claimProcesses(db: Db, req: ClaimRequest): Promise<ProcessRow[]> {
  const running = await countRunning(db, req.scripts);
  const claimed: ProcessRow[] = [];
  while (claimed.length < req.max) {
    const allowed = [...req.scripts.keys()].filter((s) => {
      const limit = req.scripts.get(s);
      return limit === undefined || (running.get(s) ?? 0) < limit;
    });
    if (allowed.length === 0) break;
    const row = await pickNext(db, req, allowed);
    if (!row) break;
    const updated = await db
      .updateTable("processes")
      .set({
        status: "RUNNING",
        worker_id: req.workerId,
        started_at: req.now,
        heartbeat_at: req.now,
        lease_expires_at: req.leaseExpiresAt,
      })
      .where("id", "=", row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    claimed.push(updated);
    running.set(row.script, (running.get(row.script) ?? 0) + 1);
  }
  return claimed;
}

function pickNext(db: Db, req: ClaimRequest, scripts: string[]) {
  let query = db
    .selectFrom("processes")
    .select(["id", "script"])
    .where("status", "=", "SCHEDULED")
    .where("run_at", "<=", req.now)
    .where("script", "in", scripts)
    .where((eb) => eb.or([eb("worker_id", "is", null), eb("worker_id", "=", req.workerId)]));
  if (req.onlyIds) query = query.where("id", "in", req.onlyIds.length ? [...req.onlyIds] : [-1]);
  return query.orderBy("priority").orderBy("run_at").orderBy("id").limit(1).executeTakeFirst();
}

async function countRunning(db: Db, scripts: ReadonlyMap<string, number | undefined>) {
  const limited = [...scripts].filter(([, limit]) => limit !== undefined).map(([name]) => name);
  const counts = new Map<string, number>();
  if (limited.length === 0) return counts;
  const rows = await db
    .selectFrom("processes")
    .select(["script", (eb) => eb.fn.countAll<number>().as("n")])
    .where("status", "=", "RUNNING")
    .where("script", "in", limited)
    .groupBy("script")
    .execute();
  for (const row of rows) counts.set(row.script, Number(row.n));
  return counts;
}
