import type { ProcessRow } from "../schema.js";
import type { Db } from "../store.js";
import { CHANNELS, notify } from "./notify.js";

/** Puts a RUNNING process of this worker back in the queue (graceful shutdown); it keeps its checkpoint. */
export async function requeueProcess(db: Db, id: number, workerId: string): Promise<ProcessRow | undefined> {
  const row = await db
    .updateTable("processes")
    .set({
      status: "SCHEDULED",
      worker_id: null,
      started_at: null,
      heartbeat_at: null,
      lease_expires_at: null,
      cancel_requested: 0,
    })
    .where("id", "=", id)
    .where("worker_id", "=", workerId)
    .where("status", "=", "RUNNING")
    .returningAll()
    .executeTakeFirst();
  if (row) await notify(db, CHANNELS.process, String(id));
  return row;
}
