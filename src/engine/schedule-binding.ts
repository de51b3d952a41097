import { NightshiftError } from "../errors.js";
import { getScheduleState } from "../store/queries/schedule-states.js";
import type { ProcessRow } from "../store/schema.js";
import type { Store } from "../store/store.js";
import type { ScheduleBinding } from "./script.js";

/** A schedule's state is small: a watermark, a cursor. */
export const MAX_SCHEDULE_STATE_BYTES = 64 * 1024;

export class ScheduleStateError extends NightshiftError {
  constructor(schedule: string, why: string) {
    super(`state of schedule '${schedule}' not accepted: ${why}`, "SCHEDULE_STATE");
  }
}

/** `ctx.schedule` and what the process set, to be committed when it ends COMPLETED. */
export interface BoundSchedule {
  readonly binding: ScheduleBinding;
  /** The JSON the script set with setState, if it did. */
  pending(): string | undefined;
}

/**
 * The binding of a process a schedule started (undefined for any other process): the state as the last
 * COMPLETED process left it, read when the process starts, and a setState whose value waits for the end.
 */
export async function bindSchedule(store: Store, row: ProcessRow): Promise<BoundSchedule | undefined> {
  const name = row.schedule_name;
  if (!name) return undefined;
  const stored = await getScheduleState(store.db, name);
  const state: unknown = stored?.state == null ? undefined : JSON.parse(stored.state);
  let pending: string | undefined;
  const binding: ScheduleBinding = Object.freeze({
    name,
    ...(row.scheduled_for ? { scheduledFor: row.scheduled_for } : {}),
    state,
    setState(next: unknown) {
      let json: string | undefined;
      try {
        json = JSON.stringify(next ?? null);
      } catch (err) {
        throw new ScheduleStateError(name, `not JSON (${(err as Error).message})`);
      }
      if (json === undefined) throw new ScheduleStateError(name, "not JSON");
      if (Buffer.byteLength(json) > MAX_SCHEDULE_STATE_BYTES)
        throw new ScheduleStateError(name, `larger than ${MAX_SCHEDULE_STATE_BYTES} bytes`);
      pending = json;
    },
  });
  return { binding, pending: () => pending };
}
