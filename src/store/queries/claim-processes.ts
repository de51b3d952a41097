import { sql } from "kysely";
import type { ProcessRow } from "../schema.js";
import { type Db, isPostgres } from "../store.js";

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
 * A claimed process's row and whether it has input files (`has_inputs`), so that a process without any does
 * not cost a round trip to list them.
 */
export type ClaimedRow = ProcessRow & { readonly has_inputs: boolean };

/** Said in the RETURNING of a PostgreSQL claim (of the updated row `p`). */
const HAS_INPUTS = sql`exists (select 1 from process_files as f where f.process_id = p.id and f.type = 'inputfile')`;

/**
 * Claims up to `max` due SCHEDULED processes, oldest first by priority, run_at, id, honouring per-script
 * limits by counting RUNNING processes of the script. Run it inside `store.write`. SQLite: the write lock
 * makes count-then-update safe across OS processes. PostgreSQL: see claimPostgres.
 * A SCHEDULED row with a worker_id is reserved for that worker.
 */
export async function claimProcesses(db: Db, req: ClaimRequest): Promise<ClaimedRow[]> {
  if (isPostgres(db)) return claimPostgres(db, req);
  const running = await countRunning(db, req.scripts);
  const claimed: ClaimedRow[] = [];
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
    const inputs = await db
      .selectFrom("process_files")
      .select("id")
      .where("process_id", "=", row.id)
      .where("type", "=", "inputfile")
      .limit(1)
      .executeTakeFirst();
    claimed.push({ ...updated, has_inputs: inputs !== undefined });
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

/**
 * PostgreSQL, where claimers do not exclude each other: FOR UPDATE SKIP LOCKED lets each take rows no other
 * claimer holds, in one statement (graphile-worker's claim). Per-script limits need more: two claimers
 * counting RUNNING at once would both see a free slot and each start one. So a claimer first takes a
 * transaction-level advisory lock per limited script, and counts RUNNING only in a later statement (under
 * READ COMMITTED a statement sees everything committed before it began): whoever held the lock before has
 * committed its claim by then. The lock is tried, not waited for: a script another worker is claiming right
 * now is left out of this round (SKIP LOCKED for scripts); the next poll finds it free.
 * Counting RUNNING inside the row-locked statement alone would not do: nothing locks the absence of a row.
 */
async function claimPostgres(db: Db, req: ClaimRequest): Promise<ClaimedRow[]> {
  const unlimited = [...req.scripts].filter(([, limit]) => limit === undefined).map(([name]) => name);
  const limited = [...req.scripts].filter(([, limit]) => limit !== undefined).map(([name]) => name);
  const locked = limited.length
    ? (
        await sql<{ script: string }>`select s as script from unnest(${limited}::text[]) as s
          where pg_try_advisory_xact_lock(hashtextextended('nightshift.script:' || s, 0))`.execute(db)
      ).rows.map((r) => r.script)
    : [];
  const running = await countRunning(db, new Map(locked.map((s) => [s, req.scripts.get(s)])));
  const quotas = locked
    .map((s) => ({ script: s, n: Math.min(req.max, (req.scripts.get(s) ?? 0) - (running.get(s) ?? 0)) }))
    .filter((q) => q.n > 0);
  if (req.max <= 0 || (unlimited.length === 0 && quotas.length === 0)) return [];
  const due = sql`status = 'SCHEDULED' and run_at <= ${req.now}
    and (worker_id is null or worker_id = ${req.workerId})
    ${req.onlyIds ? sql`and id = any(${[...req.onlyIds]}::bigint[])` : sql``}`;
  const { rows } = await sql<ClaimedRow>`with free as (
      select id, priority, run_at from processes
        where ${due} and script = any(${unlimited}::text[])
        order by priority, run_at, id limit ${req.max}
        for update skip locked
    ), limited as (
      select c.id, c.priority, c.run_at
        from unnest(${quotas.map((q) => q.script)}::text[], ${quotas.map((q) => q.n)}::int[]) as q(script, n)
        cross join lateral (select id, priority, run_at from processes
          where ${due} and script = q.script
          order by priority, run_at, id limit q.n
          for update skip locked) as c
    ), candidates as (
      select * from free union all select * from limited
    ), chosen as (
      select id from candidates order by priority, run_at, id limit ${req.max}
    )
    update processes as p set status = 'RUNNING', worker_id = ${req.workerId}, started_at = ${req.now},
      heartbeat_at = ${req.now}, lease_expires_at = ${req.leaseExpiresAt}
    from chosen where p.id = chosen.id
    returning p.*, ${HAS_INPUTS} as has_inputs`.execute(db);
  // RETURNING comes in no particular order: start them in queue order, as SQLite's loop does.
  return rows.sort(queueOrder);
}

/**
 * PostgreSQL, the common case in one statement outside any transaction (no BEGIN and COMMIT round trips): due
 * processes of scripts without a limit, up to `max`, but only those ahead in the queue of every due process of
 * a limited script, so that taking these first changes no order. One statement is atomic: SKIP LOCKED and the
 * re-check of a row locked by another claimer (READ COMMITTED) keep two claimers from taking one row. Fewer
 * than `max` back means the queue ran dry or a limited script's process is next: claimProcesses (a
 * transaction, with its advisory locks) takes the rest. Run it on the pool, not in a transaction.
 */
export async function claimUnlimited(db: Db, req: ClaimRequest): Promise<ClaimedRow[]> {
  const unlimited = [...req.scripts].filter(([, limit]) => limit === undefined).map(([name]) => name);
  const limited = [...req.scripts].filter(([, limit]) => limit !== undefined).map(([name]) => name);
  if (req.max <= 0 || unlimited.length === 0) return [];
  const due = sql`status = 'SCHEDULED' and run_at <= ${req.now}
    and (worker_id is null or worker_id = ${req.workerId})
    ${req.onlyIds ? sql`and id = any(${[...req.onlyIds]}::bigint[])` : sql``}`;
  // The queue's first due process of a limited script, looked up once (through processes_script): only what is
  // ahead of it is taken here. A correlated NOT EXISTS per candidate cost a scan of the queue's head per row.
  const { rows } = await sql<ClaimedRow>`with first_limited as materialized (
      select priority, run_at, id from processes
        where ${due} and script = any(${limited}::text[])
        order by priority, run_at, id limit 1
    ), chosen as (
      select id from processes
        where ${due} and script = any(${unlimited}::text[])
          and not exists (select 1 from first_limited as f
            where (f.priority, f.run_at, f.id) < (processes.priority, processes.run_at, processes.id))
        order by priority, run_at, id limit ${req.max}
        for update of processes skip locked
    )
    update processes as p set status = 'RUNNING', worker_id = ${req.workerId}, started_at = ${req.now},
      heartbeat_at = ${req.now}, lease_expires_at = ${req.leaseExpiresAt}
    from chosen where p.id = chosen.id
    returning p.*, ${HAS_INPUTS} as has_inputs`.execute(db);
  return rows.sort(queueOrder);
}

function queueOrder(a: ProcessRow, b: ProcessRow): number {
  return a.priority - b.priority || compare(a.run_at, b.run_at) || a.id - b.id;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
