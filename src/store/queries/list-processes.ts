import { PROCESS_SUMMARY_COLUMNS, type ProcessStatus, type ProcessSummaryRow } from "../schema.js";
import { type Db, isPostgres } from "../store.js";

export type ProcessSortField = "id" | "created_at" | "started_at" | "finished_at" | "script" | "status";

export interface ProcessFilter {
  readonly status?: readonly ProcessStatus[];
  readonly script?: string;
  readonly userId?: string;
  /** Only processes created before this time (the cleaner). */
  readonly createdBefore?: string;
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
  let base = db.selectFrom("processes");
  if (f.status?.length) base = base.where("status", "in", [...f.status]);
  if (f.script !== undefined) base = base.where("script", "=", f.script);
  if (f.userId !== undefined) base = base.where("user_id", "=", f.userId);
  if (f.createdBefore !== undefined) base = base.where("created_at", "<", f.createdBefore);
  const size = f.size ?? 20;
  const sort = f.sort ?? { field: "id", direction: "desc" };
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
  const rows = await listed
    .limit(size)
    .offset((f.page ?? 0) * size)
    .execute();
  const count = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}
