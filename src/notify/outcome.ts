/**
 * How a finished process went, as the rules see it. `outcome` (ok | warnings | errors) is the process's own
 * when it records one; otherwise it is derived from the result summary's counts: failed or unknown items are
 * errors, warnings are warnings.
 */
import type { ProcessRow } from "../store/schema.js";

export type ProcessOutcome = "ok" | "warnings" | "errors";

type Summary = {
  readonly outcome?: unknown;
  readonly byOutcome?: Record<string, unknown>;
  readonly warnings?: unknown;
  readonly invalid?: unknown;
};

export function processOutcome(
  row: Pick<ProcessRow, "result"> & { outcome?: string | null },
): ProcessOutcome {
  if (row.outcome === "ok" || row.outcome === "warnings" || row.outcome === "errors") return row.outcome;
  const summary = parseResult(row.result);
  if (!summary) return "ok";
  if (summary.outcome === "ok" || summary.outcome === "warnings" || summary.outcome === "errors")
    return summary.outcome;
  const by = summary.byOutcome ?? {};
  if (count(by.failed) + count(by.unknown) + count(summary.invalid) > 0) return "errors";
  if (count(summary.warnings) > 0) return "warnings";
  return "ok";
}

function parseResult(result: string | null): Summary | undefined {
  if (!result) return undefined;
  try {
    const value: unknown = JSON.parse(result);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Summary)
      : undefined;
  } catch {
    return undefined;
  }
}

const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
