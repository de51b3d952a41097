/** summary.json: counts by outcome and code (adding up to the items reported), timing, and how the run went. */
import { writeFileSync } from "node:fs";
import type { Tally } from "./tally.js";

export interface BatchSummary extends Tally {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  /** Items handled by this run per second (rows copied from a resumed run not counted). */
  readonly itemsPerSecond: number;
  readonly dryRun: boolean;
  readonly resumedFrom: number | null;
  /** Rows copied from the resumed process's report. */
  readonly resumedItems: number;
  /** False when cancel or shutdown stopped the batch before the end of the input (resume it). */
  readonly completed: boolean;
  readonly inputFormat: string;
  readonly files: { readonly report: string; readonly failures: string | null };
}

export interface SummaryFacts {
  readonly tally: Tally;
  readonly started: number;
  readonly finished: number;
  /** Items handled by this run (for the rate). */
  readonly handled: number;
  readonly dryRun: boolean;
  readonly resumedFrom: number | undefined;
  readonly resumedItems: number;
  readonly completed: boolean;
  readonly inputFormat: string;
  readonly failuresName: string | null;
}

export function buildSummary(f: SummaryFacts): BatchSummary {
  const durationMs = f.finished - f.started;
  return {
    ...f.tally,
    startedAt: new Date(f.started).toISOString(),
    finishedAt: new Date(f.finished).toISOString(),
    durationMs,
    itemsPerSecond: durationMs > 0 ? Math.round((f.handled * 10_000) / durationMs) / 10 : 0,
    dryRun: f.dryRun,
    resumedFrom: f.resumedFrom ?? null,
    resumedItems: f.resumedItems,
    completed: f.completed,
    inputFormat: f.inputFormat,
    files: { report: "report.csv", failures: f.failuresName },
  };
}

export function writeSummary(path: string, summary: BatchSummary): void {
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
}
