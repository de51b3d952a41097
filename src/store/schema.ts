import type { Generated } from "kysely";

/**
 * The database schema, as Kysely sees it. Dialect-independent: every dialect folder creates these tables.
 * Times are ISO-8601 UTC strings with milliseconds (`2024-05-01T12:00:00.000Z`), so they sort as text.
 */
export interface Schema {
  processes: ProcessTable;
  process_files: ProcessFileTable;
  workers: WorkerTable;
  migrations: MigrationTable;
}

/** Status of a process: SCHEDULED -> RUNNING -> COMPLETED | FAILED | CANCELLED (nothing else). */
export type ProcessStatus = "SCHEDULED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";

/** What started a process. */
export type ProcessSource = "cli" | "rest" | "schedule" | "trigger";

export interface ProcessTable {
  id: Generated<number>;
  script: string;
  /** JSON `[{name, value}]` as given (long names), secret values masked. */
  parameters: string;
  /** JSON of the typed values keyed by camelCase long name, secret values masked. */
  param_values: string;
  /** Names (camelCase keys) of secret parameters that had a value: those values live only in memory. */
  secret_keys: string | null;
  started_by: ProcessSource;
  user_id: string | null;
  account: string | null;
  status: ProcessStatus;
  /** Lower runs first. */
  priority: number;
  run_at: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress_done: number | null;
  progress_total: number | null;
  heartbeat_at: string | null;
  lease_expires_at: string | null;
  /** The worker running it (RUNNING), or the only worker allowed to claim it (a SCHEDULED reservation). */
  worker_id: string | null;
  /** JSON result summary. */
  result: string | null;
  exit_message: string | null;
  /** JSON checkpoint state. */
  checkpoint: string | null;
  resumed_from: number | null;
  /** 1 when a cancel was asked for while RUNNING; the owning worker sees it and aborts. */
  cancel_requested: Generated<number>;
}

export interface ProcessFileTable {
  id: Generated<number>;
  process_id: number;
  type: string;
  /** Display name (user-supplied, never a path on disk). */
  name: string;
  /** Generated path relative to the data directory. */
  path: string;
  size: number | null;
  sha256: string | null;
  created_at: string;
}

export interface WorkerTable {
  id: string;
  host: string;
  pid: number;
  started_at: string;
  heartbeat_at: string;
}

export interface MigrationTable {
  version: number;
  name: string;
  applied_at: string;
}

import type { Selectable } from "kysely";

/** A process row as read. */
export type ProcessRow = Selectable<ProcessTable>;
/** A process file row as read. */
export type ProcessFileRow = Selectable<ProcessFileTable>;
/** A worker row as read. */
export type WorkerRow = Selectable<WorkerTable>;
