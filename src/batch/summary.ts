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

export function writeSummary(path: string, summary: BatchSummary): void {
  writeFileSync(path, `${JSON.stringify(summary, null, 2)}\n`);
}
