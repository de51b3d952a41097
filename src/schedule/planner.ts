/**
 * Which slots of a schedule to act on now (pure: the clock and the ledger are passed in).
 * A slot is on time while it is at most `graceMs` old: each such slot fires. Older ones were missed
 * (every instance was down or busy): catch-up `skip` records them as missed, `once` fires one run for all
 * of them (at the newest), never a storm.
 */
import type { CronSchedule } from "./cron.js";
import type { CatchUp } from "./definition.js";

export interface PlanInput {
  readonly cron: CronSchedule;
  readonly catchUp: CatchUp;
  /** Slots at or before this time are done (the ledger's newest slot, or when the schedule started). */
  readonly after: number;
  readonly now: number;
  readonly graceMs: number;
}

export interface Plan {
  /** On-time slots to fire, oldest first. */
  readonly onTime: readonly number[];
  /** Missed slots: how many (at least), and the newest, which carries them in the ledger. */
  readonly missed?: { readonly count: number; readonly latest: number; readonly more: boolean };
}

/** Most slots looked at in one go (a per-second schedule after a day's downtime: caught up in steps). */
export const MAX_SLOTS = 100_000;

export function planSlots(input: PlanInput): Plan {
  const cutoff = input.now - input.graceMs;
  const old = input.after < cutoff ? input.cron.between(input.after, cutoff, MAX_SLOTS) : undefined;
  const missedSlots = old?.slots ?? [];
  const from = Math.max(input.after, cutoff);
  const onTime = input.cron.between(from, input.now, 1000).slots;
  if (missedSlots.length === 0 || old === undefined) return { onTime };
  return {
    onTime,
    missed: { count: missedSlots.length, latest: missedSlots[missedSlots.length - 1], more: old.more },
  };
}
