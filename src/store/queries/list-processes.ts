import { CompiledQuery } from "kysely";
import {
  PROCESS_SUMMARY_COLUMNS,
  type ProcessOutcome,
  type ProcessStatus,
  type ProcessSummaryRow,
} from "../schema.js";
import { type Db, isPostgres } from "../store.js";

export type ProcessSortField = "id" | "created_at" | "started_at" | "finished_at" | "script" | "status";

export interface ProcessFilter {
  readonly status?: readonly ProcessStatus[];
  /** How a COMPLETED process's items went (`errors`: some failed), one or several. */
  readonly outcome?: readonly ProcessOutcome[];
  readonly script?: string;
  readonly userId?: string;
  /** Only processes created before this time (the cleaner, the UI's date range). */
  readonly createdBefore?: string;
  /** Only processes created at or after this time (the UI's date range). */
  readonly createdAfter?: string;
  /** Zero-based page. */
  readonly page?: number;
  readonly size?: number;
  readonly sort?: { readonly field: ProcessSortField; readonly direction: "asc" | "desc" };
}

/** Lists processes by combined filters, newest first unless sorted otherwise, with the total count. */
export async function listProcesses(
  db: Db,
  f: ProcessFilter,
): Promise<{ rows: ProcessSummaryRow[]; total: number }> {
  const plan = planFor(db, f);
  const values = plan.values(f);
  const rows = (await db.executeQuery<ProcessSummaryRow>(CompiledQuery.raw(plan.list, values.list))).rows;
  // A page that is not full ends the list: its offset and length are the total, no count needed (a page
  // past the end, empty, says nothing and is counted).
  const offset = (f.page ?? 0) * (f.size ?? 20);
  if (rows.length < (f.size ?? 20) && (rows.length > 0 || offset === 0))
    return { rows, total: offset + rows.length };
  const count = await db.executeQuery<{ n: number }>(CompiledQuery.raw(plan.count, values.count));
  return { rows, total: Number(count.rows[0].n) };
}

/**
 * The SQL of a list, built once per shape of filter (which filters, how many statuses, the sort) and
 * reused with new values: building and compiling the query each time cost more than running it.
 */
interface Plan {
  readonly list: string;
  readonly count: string;
  values(f: ProcessFilter): { list: unknown[]; count: unknown[] };
}

const plans = new WeakMap<Db, Map<string, Plan>>();
/** Distinct shapes kept at most (the number of statuses is bounded, sorts are few): a guard, not a limit in use. */
const MAX_PLANS = 500;

function planFor(db: Db, f: ProcessFilter): Plan {
  const sort = f.sort ?? { field: "id", direction: "desc" };
  const key = [
    f.status?.length ?? 0,
    f.outcome?.length ?? 0,
    f.script !== undefined,
    f.userId !== undefined,
    f.createdBefore !== undefined,
    f.createdAfter !== undefined,
    sort.field,
    sort.direction,
  ].join("|");
  let cache = plans.get(db);
  if (cache === undefined) {
    cache = new Map();
    plans.set(db, cache);
  }
  let plan = cache.get(key);
  if (plan === undefined) {
    if (cache.size >= MAX_PLANS) cache.clear();
    plan = buildPlan(db, f.status?.length ?? 0, f, sort);
    cache.set(key, plan);
  }
  return plan;
}

/** Stand-in values, one per place a value goes, found again in the compiled parameters. */
const MARK = "\u0000nightshift-list:";
const LIMIT_MARK = 987_654_321;
const OFFSET_MARK = 123_456_789;

function buildPlan(
  db: Db,
  statuses: number,
  shape: ProcessFilter,
  sort: NonNullable<ProcessFilter["sort"]>,
): Plan {
  let base = db.selectFrom("processes");
  if (statuses > 0)
    base = base.where(
      "status",
      "in",
      Array.from({ length: statuses }, (_, i) => `${MARK}status${i}` as ProcessStatus),
    );
  const outcomes = shape.outcome?.length ?? 0;
  if (outcomes > 0)
    base = base.where(
      "outcome",
      "in",
      Array.from({ length: outcomes }, (_, i) => `${MARK}outcome${i}` as ProcessOutcome),
    );
  if (shape.script !== undefined) base = base.where("script", "=", `${MARK}script`);
  if (shape.userId !== undefined) base = base.where("user_id", "=", `${MARK}userId`);
  if (shape.createdBefore !== undefined) base = base.where("created_at", "<", `${MARK}createdBefore`);
  if (shape.createdAfter !== undefined) base = base.where("created_at", ">=", `${MARK}createdAfter`);
  // NULLs (not yet started or finished) sort first ascending and last descending, as SQLite sorts them;
  // PostgreSQL's default is the reverse, so it is told (and its sort indexes are made that way).
  let listed = isPostgres(db)
    ? base
        .select(PROCESS_SUMMARY_COLUMNS)
        .orderBy(sort.field, (ob) =>
          sort.direction === "asc" ? ob.asc().nullsFirst() : ob.desc().nullsLast(),
        )
    : base.select(PROCESS_SUMMARY_COLUMNS).orderBy(sort.field, sort.direction);
  if (sort.field !== "id") listed = listed.orderBy("id", sort.direction); // ties: a stable page order
  const list = listed.limit(LIMIT_MARK).offset(OFFSET_MARK).compile();
  const count = base.select((eb) => eb.fn.countAll<number>().as("n")).compile();
  const pick = (parameters: readonly unknown[]) =>
    parameters.map((p): ((f: ProcessFilter) => unknown) => {
      if (p === LIMIT_MARK) return (f) => f.size ?? 20;
      if (p === OFFSET_MARK) return (f) => (f.page ?? 0) * (f.size ?? 20);
      const name = typeof p === "string" && p.startsWith(MARK) ? p.slice(MARK.length) : undefined;
      if (name === "script") return (f) => f.script;
      if (name === "userId") return (f) => f.userId;
      if (name === "createdBefore") return (f) => f.createdBefore;
      if (name === "createdAfter") return (f) => f.createdAfter;
      if (name?.startsWith("outcome")) {
        const i = Number(name.slice(7));
        return (f) => f.outcome?.[i];
      }
      if (name?.startsWith("status")) {
        const i = Number(name.slice(6));
        return (f) => f.status?.[i];
      }
      throw new Error(`list-processes: unexpected parameter ${String(p)} in the compiled query`);
    });
  const listValues = pick(list.parameters);
  const countValues = pick(count.parameters);
  return {
    list: list.sql,
    count: count.sql,
    values: (f) => ({ list: listValues.map((v) => v(f)), count: countValues.map((v) => v(f)) }),
  };
}
