import type {
  ProcessFileRow,
  ProcessOutcome,
  ProcessSource,
  ProcessStatus,
  ProcessSummaryRow,
} from "../store/schema.js";
import type { SentParameter } from "./parameters.js";
import type { OutcomeCounts } from "./script.js";

export type { OutcomeCounts, ProcessOutcome, ProcessSource, ProcessStatus };

/** A process as the engine shows it to the CLI and REST layers (camelCase, JSON decoded). */
export interface ProcessRecord {
  readonly id: number;
  readonly script: string;
  /** Normalised: long names, string values, secret values masked (the engine's own reading). */
  readonly parameters: readonly { name: string; value: string }[];
  /**
   * As sent: names and values as written (`-d`, null for a bare flag), secret values masked; the normalised
   * list for processes created before this was kept. What REST, the CLI and the UI show.
   */
  readonly parametersAsSent: readonly SentParameter[];
  readonly startedBy: ProcessSource;
  readonly userId: string | null;
  readonly account: string | null;
  readonly status: ProcessStatus;
  readonly priority: number;
  readonly runAt: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly progress: { readonly done: number; readonly total: number | null } | null;
  readonly heartbeatAt: string | null;
  readonly leaseExpiresAt: string | null;
  readonly workerId: string | null;
  readonly result: unknown;
  readonly exitMessage: string | null;
  readonly resumedFrom: number | null;
  readonly cancelRequested: boolean;
  /** How a COMPLETED process went: `ok`, `warnings` or `errors`; null otherwise (or when it has no items). */
  readonly outcome: ProcessOutcome | null;
  /** The counts behind `outcome`. */
  readonly outcomeCounts: OutcomeCounts | null;
  /** Only on a process a schedule started: the schedule's name. */
  readonly schedule?: string;
  /** Only on a process a schedule started for a slot: the slot (ISO time). */
  readonly scheduledFor?: string;
  /** Only on a process a trigger started: the trigger's name. */
  readonly trigger?: string;
}

/** A file of a process. `path` is relative to the data directory. */
export interface ProcessFile {
  readonly id: number;
  readonly processId: number;
  readonly type: string;
  readonly name: string;
  readonly path: string;
  readonly size: number | null;
  readonly sha256: string | null;
  readonly createdAt: string;
}

/** A full row or a listed one (PROCESS_SUMMARY_COLUMNS) as the engine shows it. */
export function toProcessRecord(row: ProcessSummaryRow): ProcessRecord {
  return Object.freeze({
    id: row.id,
    script: row.script,
    parameters: JSON.parse(row.parameters) as { name: string; value: string }[],
    parametersAsSent: JSON.parse(row.parameters_as_sent ?? row.parameters) as SentParameter[],
    startedBy: row.started_by,
    userId: row.user_id,
    account: row.account,
    status: row.status,
    priority: row.priority,
    runAt: row.run_at,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    progress: row.progress_done === null ? null : { done: row.progress_done, total: row.progress_total },
    heartbeatAt: row.heartbeat_at,
    leaseExpiresAt: row.lease_expires_at,
    workerId: row.worker_id,
    result: row.result === null ? null : JSON.parse(row.result),
    exitMessage: row.exit_message,
    resumedFrom: row.resumed_from,
    cancelRequested: row.cancel_requested === 1,
    outcome: row.outcome ?? null,
    outcomeCounts: row.outcome_counts ? (JSON.parse(row.outcome_counts) as OutcomeCounts) : null,
    ...(row.schedule_name ? { schedule: row.schedule_name } : {}),
    ...(row.scheduled_for ? { scheduledFor: row.scheduled_for } : {}),
    ...(row.trigger_name ? { trigger: row.trigger_name } : {}),
  });
}

export function toProcessFile(row: ProcessFileRow): ProcessFile {
  return Object.freeze({
    id: row.id,
    processId: row.process_id,
    type: row.type,
    name: row.name,
    path: row.path,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at,
  });
}

/** True for COMPLETED, FAILED and CANCELLED. */
export function isFinished(status: ProcessStatus): boolean {
  return status === "COMPLETED" || status === "FAILED" || status === "CANCELLED";
}

/**
 * The status as people read it: `COMPLETED`, `COMPLETED with errors: 7 of 24 failed`, `COMPLETED with
 * warnings: 3 of 24 with warnings`, `FAILED`. The same words in the log, the CLI, REST and the UI.
 */
export function statusText(p: Pick<ProcessRecord, "status" | "outcome" | "outcomeCounts">): string {
  if (p.status !== "COMPLETED" || !p.outcome || p.outcome === "ok") return p.status;
  return `COMPLETED with ${p.outcome}${p.outcomeCounts ? `: ${countsText(p.outcome, p.outcomeCounts)}` : ""}`;
}

function countsText(outcome: ProcessOutcome, c: OutcomeCounts): string {
  if (outcome === "warnings") return `${c.warnings} of ${c.total} with warnings`;
  const parts: string[] = [];
  if (c.failed > 0) parts.push(`${c.failed} of ${c.total} failed`);
  if (c.unknown > 0) parts.push(`${c.unknown} of ${c.total} unknown`);
  return parts.join(", ");
}
