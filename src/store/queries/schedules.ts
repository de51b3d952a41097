import type { ScheduleRow, ScheduleTable } from "../schema.js";
import type { Db } from "../store.js";
import { CHANNELS, notify } from "./notify.js";

/** The schedules created through the REST API or the CLI, by name. */
export function listSchedules(db: Db): Promise<ScheduleRow[]> {
  return db.selectFrom("schedules").selectAll().orderBy("name").execute();
}

export function getSchedule(db: Db, name: string): Promise<ScheduleRow | undefined> {
  return db.selectFrom("schedules").selectAll().where("name", "=", name).executeTakeFirst();
}

/** Inserts a schedule; false when the name is taken. */
export async function insertSchedule(db: Db, row: ScheduleTable): Promise<boolean> {
  const done = await db
    .insertInto("schedules")
    .values(row)
    .onConflict((oc) => oc.column("name").doNothing())
    .returning("name")
    .executeTakeFirst();
  if (done) await notify(db, CHANNELS.schedule, row.name);
  return done !== undefined;
}

/** Changes a schedule; undefined when there is none of that name. */
export async function updateSchedule(
  db: Db,
  name: string,
  changes: Partial<Omit<ScheduleTable, "name" | "created_at">>,
): Promise<ScheduleRow | undefined> {
  const row = await db
    .updateTable("schedules")
    .set(changes)
    .where("name", "=", name)
    .returningAll()
    .executeTakeFirst();
  if (row) await notify(db, CHANNELS.schedule, name);
  return row;
}

/** Deletes a schedule; false when there was none. Its firings and state go with it. */
export async function deleteSchedule(db: Db, name: string): Promise<boolean> {
  const done = await db.deleteFrom("schedules").where("name", "=", name).executeTakeFirst();
  await db.deleteFrom("schedule_firings").where("schedule", "=", name).execute();
  await db.deleteFrom("schedule_states").where("name", "=", name).execute();
  await notify(db, CHANNELS.schedule, name);
  return Number(done.numDeletedRows) > 0;
}
