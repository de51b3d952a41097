import { sql } from "kysely";
import type { ScheduleFiringRow, ScheduleFiringTable } from "../schema.js";
import { type Db, isPostgres } from "../store.js";

export type NewFiring = Omit<ScheduleFiringTable, "id" | "missed"> & { readonly missed?: number };

/**
 * Records a slot in the ledger unless it is there already: the unique (schedule, slot) makes the first
 * writer win. Returns false when another instance recorded it first (nothing else may then be written).
 */
export async function insertFiring(db: Db, firing: NewFiring): Promise<boolean> {
  const done = await db
    .insertInto("schedule_firings")
    .values(firing)
    .onConflict((oc) => oc.columns(["schedule", "slot"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return done !== undefined;
}

/** The newest slot in the ledger of a schedule, whatever its kind. */
export async function latestSlot(db: Db, schedule: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("schedule_firings")
    .select((eb) => eb.fn.max("slot").as("slot"))
    .where("schedule", "=", schedule)
    .executeTakeFirst();
  return row?.slot ?? undefined;
}

/** The oldest slot waiting for the previous process to end (overlap `queue`). */
export function oldestQueued(db: Db, schedule: string): Promise<ScheduleFiringRow | undefined> {
  return db
    .selectFrom("schedule_firings")
    .selectAll()
    .where("kind", "=", "queued")
    .where("schedule", "=", schedule)
    .orderBy("slot")
    .limit(1)
    .executeTakeFirst();
}

/** Schedules that have queued slots. */
export async function schedulesWithQueued(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom("schedule_firings")
    .select("schedule")
    .distinct()
    .where("kind", "=", "queued")
    .execute();
  return rows.map((r) => r.schedule);
}

/** Turns a queued slot into a fired one; false when someone else did it first. */
export async function fireQueued(db: Db, id: number, processId: number, workerId: string): Promise<boolean> {
  const done = await db
    .updateTable("schedule_firings")
    .set({ kind: "fired", process_id: processId, worker_id: workerId })
    .where("id", "=", id)
    .where("kind", "=", "queued")
    .executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}

/** Ids of the processes of a schedule that have not ended (SCHEDULED or RUNNING). */
export async function unfinishedOfSchedule(db: Db, schedule: string): Promise<number[]> {
  const rows = await db
    .selectFrom("processes")
    .select("id")
    .where("schedule_name", "=", schedule)
    .where("status", "in", ["SCHEDULED", "RUNNING"])
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Serialises the firings of one schedule on PostgreSQL (READ COMMITTED lets two instances look at the
 * same schedule at once: the overlap check needs to see the other's process). SQLite's BEGIN IMMEDIATE
 * already runs one writer at a time.
 */
export async function lockSchedule(db: Db, schedule: string): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`nightshift.schedule:${schedule}`}, 0))`.execute(
    db,
  );
}

/** The ledger of a schedule, newest first. */
export function listFirings(db: Db, schedule: string, limit = 100): Promise<ScheduleFiringRow[]> {
  return db
    .selectFrom("schedule_firings")
    .selectAll()
    .where("schedule", "=", schedule)
    .orderBy("slot", "desc")
    .limit(limit)
    .execute();
}

/** The newest process a schedule started (slot or "run now"). */
export function lastProcessOfSchedule(db: Db, schedule: string) {
  return db
    .selectFrom("processes")
    .select(["id", "status", "started_at", "finished_at", "scheduled_for", "exit_message", "result"])
    .where("schedule_name", "=", schedule)
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Ledger rows by schedule and kind, with the missed slots they stand for (for /metrics). */
export async function firingCounts(db: Db) {
  const rows = await db
    .selectFrom("schedule_firings")
    .select((eb) => [
      "schedule",
      "kind",
      eb.fn.countAll<number>().as("n"),
      eb.fn.sum<number>("missed").as("missed"),
    ])
    .groupBy(["schedule", "kind"])
    .execute();
  return rows.map((r) => ({
    schedule: r.schedule,
    kind: r.kind,
    n: Number(r.n),
    missed: Number(r.missed ?? 0),
  }));
}
