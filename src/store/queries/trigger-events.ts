import type { Db } from "../store.js";

/**
 * Records an event of a trigger by its key (idempotency key, signature, inbox file) unless it is there:
 * unique (trigger, key), so the first writer wins. Returns false when it was already recorded.
 */
export async function insertTriggerEvent(
  db: Db,
  trigger: string,
  key: string,
  processId: number | null,
  at: string,
): Promise<boolean> {
  const done = await db
    .insertInto("trigger_events")
    .values({ trigger_name: trigger, key, process_id: processId, created_at: at })
    .onConflict((oc) => oc.columns(["trigger_name", "key"]).doNothing())
    .returning("id")
    .executeTakeFirst();
  return done !== undefined;
}

/** The event recorded under a key, with the process it started. */
export function findTriggerEvent(db: Db, trigger: string, key: string) {
  return db
    .selectFrom("trigger_events")
    .select(["id", "process_id", "created_at"])
    .where("trigger_name", "=", trigger)
    .where("key", "=", key)
    .executeTakeFirst();
}
