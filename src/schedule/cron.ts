/**
 * A schedule's cron expression in its time zone, as a sequence of slots (instants). croner parses and
 * matches the expression (5 fields, or 6 with seconds first); the match runs on wall-clock time, and
 * zone.ts turns each wall-clock slot into its instant, so daylight saving follows one rule for every
 * expression: a slot in a skipped hour fires once at the first valid instant after it, a slot in a repeated
 * hour fires once, at its first occurrence. Slots that land on one instant (a gap) are one slot.
 */
import { Cron } from "croner";
import { NightshiftError } from "../errors.js";
import { fromWall, isTimeZone, offsetAt, toWall } from "./zone.js";

export class CronError extends NightshiftError {
  constructor(
    readonly field: "cron" | "timezone",
    message: string,
  ) {
    super(message, "INVALID_SCHEDULE");
  }
}

export interface CronSchedule {
  readonly expression: string;
  readonly timezone: string;
  /** The next `count` slots strictly after `after` (ms since the epoch). */
  next(after: number, count: number): number[];
  /** Slots in (after, until], at most `cap` of them (oldest first), and whether there were more. */
  between(after: number, until: number, cap: number): { slots: number[]; more: boolean };
}

const DAY = 86_400_000;

/**
 * ```ts
 * compileCron("0 2 * * 1", "Europe/Berlin").next(Date.parse("2026-03-01T00:00:00Z"), 1)
 * // [Date.parse("2026-03-02T01:00:00Z")]  (02:00 in Berlin, winter time)
 * ```
 */
export function compileCron(expression: string, timezone: string): CronSchedule {
  if (!isTimeZone(timezone))
    throw new CronError("timezone", `'${timezone}' is not an IANA time zone (e.g. Europe/Berlin)`);
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6)
    throw new CronError(
      "cron",
      `'${expression}' has ${fields} fields: a cron expression has 5 (minute hour day month weekday) or 6 (seconds first)`,
    );
  let cron: Cron;
  try {
    // Matched in UTC on fake-UTC wall times: no DST inside croner; zone.ts maps wall times to instants.
    cron = new Cron(expression.trim(), { timezone: "UTC", mode: "5-or-6-parts", paused: true });
  } catch (err) {
    throw new CronError("cron", `'${expression}' is not a valid cron expression: ${(err as Error).message}`);
  }
  if (cron.nextRun(new Date(0)) === null) throw new CronError("cron", `'${expression}' never fires`);

  /** Calls `visit` with each slot after `after`, oldest first, until it returns false. */
  function walk(after: number, visit: (slot: number) => boolean) {
    // Near a clock change, wall times behind `after`'s own may still be ahead of it in real time (the
    // repeated hour): start that much earlier; slots not after `after` are passed over below.
    const shift = Math.abs(offsetAt(after + DAY, timezone) - offsetAt(after - DAY, timezone));
    let wall = toWall(after, timezone) - shift;
    let last = after;
    for (;;) {
      const next = cron.nextRun(new Date(wall));
      if (!next) return;
      wall = next.getTime();
      const slot = fromWall(wall, timezone);
      if (slot <= last) continue; // behind `after`, or a gap's slot already given
      last = slot;
      if (!visit(slot)) return;
    }
  }

  return Object.freeze({
    expression,
    timezone,
    next(after: number, count: number) {
      const slots: number[] = [];
      if (count > 0) walk(after, (slot) => slots.push(slot) < count);
      return slots;
    },
    between(after: number, until: number, cap: number) {
      const slots: number[] = [];
      let more = false;
      walk(after, (slot) => {
        if (slot > until) return false;
        if (slots.length >= cap) {
          more = true;
          return false;
        }
        slots.push(slot);
        return true;
      });
      return { slots, more };
    },
  });
}
