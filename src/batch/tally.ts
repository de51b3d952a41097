/** Counts of reported items by outcome and by code, for summary.json (constant memory: codes are few). */
import type { Outcome } from "./item.js";

export interface Tally {
  readonly total: number;
  readonly byOutcome: Readonly<Record<Outcome, number>>;
  readonly byCode: Readonly<Record<string, number>>;
}

export interface TallyCounter {
  add(outcome: Outcome, code: string): void;
  snapshot(): Tally;
}

export function createTally(): TallyCounter {
  const byOutcome: Record<Outcome, number> = { ok: 0, skipped: 0, failed: 0, unknown: 0 };
  const byCode = new Map<string, number>();
  let total = 0;
  return {
    add(outcome, code) {
      total++;
      byOutcome[outcome]++;
      if (code !== "") byCode.set(code, (byCode.get(code) ?? 0) + 1);
    },
    snapshot() {
      const codes = [...byCode.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return { total, byOutcome: { ...byOutcome }, byCode: Object.fromEntries(codes) };
    },
  };
}
