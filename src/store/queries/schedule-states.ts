import type { ScheduleStateRow } from "../schema.js";
import type { Db } from "../store.js";

export function getScheduleState(db: Db, name: string): Promise<ScheduleStateRow | undefined> {
  return db.selectFrom("schedule_states").selectAll().where("name", "=", name).executeTakeFirst();
}

export function listScheduleStates(db: Db): Promise<ScheduleStateRow[]> {
  return db.selectFrom("schedule_states").selectAll().execute();
}

/** Records when a schedule starts counting slots, unless it already has a start (the first one seen wins). */
export async function ensureScheduleSince(db: Db, name: string, since: string): Promise<void> {
  await db
    .insertInto("schedule_states")
    .values({ name, since, state: null, state_process_id: null, state_updated_at: null })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
}

/** Moves a schedule's start (enabled again, cron changed): slots before it are never fired or caught up. */
export async function resetScheduleSince(db: Db, name: string, since: string): Promise<void> {
  await ensureScheduleSince(db, name, since);
  await db.updateTable("schedule_states").set({ since }).where("name", "=", name).execute();
}

/** The state a COMPLETED process leaves; written in the transaction that ends it. */
export async function saveScheduleState(
  db: Db,
  name: string,
  state: string,
  processId: number,
  at: string,
): Promise<void> {
  await ensureScheduleSince(db, name, at);
  await db
    .updateTable("schedule_states")
    .set({ state, state_process_id: processId, state_updated_at: at })
    .where("name", "=", name)
    .execute();
}
