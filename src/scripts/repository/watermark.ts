/**
 * The harvest watermark kept in the schedule's state: `{ watermark: "<responseDate>" }`. The next harvest
 * starts `from` it (inclusive, so nothing that changed in the same second or day is missed; items seen twice
 * are found, not created twice). The engine commits a new state only when the process ends COMPLETED.
 */
import type { ScheduleBinding } from "../../engine/script.js";

export function watermarkOf(schedule: ScheduleBinding | undefined): string | undefined {
  const state = schedule?.state;
  if (typeof state === "string" && state !== "") return state;
  if (
    state &&
    typeof state === "object" &&
    typeof (state as { watermark?: unknown }).watermark === "string"
  ) {
    return (state as { watermark: string }).watermark;
  }
  return undefined;
}

export function moveWatermark(schedule: ScheduleBinding | undefined, responseDate: string): void {
  if (!schedule || responseDate === "") return;
  const state =
    schedule.state && typeof schedule.state === "object" ? (schedule.state as Record<string, unknown>) : {};
  schedule.setState({ ...state, watermark: responseDate });
}
