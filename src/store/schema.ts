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
  users: UserTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  unsettled_writes: UnsettledWriteTable;
  write_history: WriteHistoryTable;
  notifications: NotificationTable;
  schedules: ScheduleTable;
  schedule_states: ScheduleStateTable;
  schedule_firings: ScheduleFiringTable;
  trigger_events: TriggerEventTable;
  file_chunks: FileChunkTable;
}

/** Status of a process: SCHEDULED -> RUNNING -> COMPLETED | FAILED | CANCELLED (nothing else). */
export type ProcessStatus = "SCHEDULED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELLED";
/** The five statuses of the contract, in their lifecycle order. */
export const PROCESS_STATUSES = [
  "SCHEDULED",
  "RUNNING",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
] as const satisfies readonly ProcessStatus[];

/** How a COMPLETED process went: every item done, some with warnings, or some failed. */
export type ProcessOutcome = "ok" | "warnings" | "errors";

/** What started a process. */
export type ProcessSource = "cli" | "rest" | "schedule" | "trigger";

export interface ProcessTable {
  id: Generated<number>;
  script: string;
  /** JSON `[{name, value}]` as given (long names), secret values masked. */
  parameters: string;
  /**
   * JSON `[{name, value}]` as sent: names as written (`-d`), values as written (null for a bare flag), secret
   * values masked. What the API echoes (DSpace does); null on processes created before it was kept.
   */
  parameters_as_sent: string | null;
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
  /** The schedule that started it (startedBy `schedule`). */
  schedule_name: string | null;
  /** The slot it fired for (ISO time); null for "run now". */
  scheduled_for: string | null;
  /** The trigger that started it (startedBy `trigger`). */
  trigger_name: string | null;
  /**
   * How a COMPLETED process went (issue 17): `ok`, `warnings` or `errors` (some items failed or stayed
   * unknown); null for other statuses and for processes that report no items.
   */
  outcome: ProcessOutcome | null;
  /** JSON counts behind the outcome: `{"total":24,"failed":7,"unknown":0,"warnings":0}`. */
  outcome_counts: string | null;
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

/** Who may do what: admin (everything), operator (run permitted scripts, manage own), viewer (read own). */
export type UserRole = "admin" | "operator" | "viewer";

export interface UserTable {
  /** A random UUID: the `userId` of processes (a name can be reused after removal, an id never). */
  id: string;
  name: string;
  role: UserRole;
  /** `scrypt$N$r$p$salt$hash` (base64), or null when the user has no password (tokens only). */
  password_hash: string | null;
  created_at: string;
}

export interface ApiTokenTable {
  id: Generated<number>;
  user_id: string;
  /** SHA-256 (hex) of the token; the token itself is shown once and never stored. */
  token_hash: string;
  created_at: string;
  /** Last use, recorded at most once a minute per token. */
  last_used_at: string | null;
  /** What it is for (`--label`), shown in lists; never the token. */
  label: string | null;
  /** After this time (ISO) the token is refused as expired; null: it does not expire. */
  expires_at: string | null;
}

export interface SessionTable {
  /** SHA-256 (hex) of the session cookie's value. */
  id_hash: string;
  user_id: string;
  /** The double-submit CSRF token bound to this session. */
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

import type { Selectable } from "kysely";

/** A process row as read. */
export type ProcessRow = Selectable<ProcessTable>;

/**
 * The process columns that lists read: all but the internal ones, which can be large (the typed parameter
 * values and the checkpoint) and are read one process at a time. Fewer columns make listing measurably
 * cheaper: better-sqlite3 builds a JS object per row, and its cost grows with the column count.
 */
export const PROCESS_SUMMARY_COLUMNS = [
  "id",
  "script",
  "parameters",
  "parameters_as_sent",
  "started_by",
  "user_id",
  "account",
  "status",
  "priority",
  "run_at",
  "created_at",
  "started_at",
  "finished_at",
  "progress_done",
  "progress_total",
  "heartbeat_at",
  "lease_expires_at",
  "worker_id",
  "result",
  "exit_message",
  "resumed_from",
  "cancel_requested",
  "schedule_name",
  "scheduled_for",
  "trigger_name",
  "outcome",
  "outcome_counts",
] as const satisfies readonly (keyof ProcessTable)[];

/** A process row as lists read it (see PROCESS_SUMMARY_COLUMNS). */
export type ProcessSummaryRow = Pick<ProcessRow, (typeof PROCESS_SUMMARY_COLUMNS)[number]>;
/** A process file row as read. */
export type ProcessFileRow = Selectable<ProcessFileTable>;
/** A worker row as read. */
export type WorkerRow = Selectable<WorkerTable>;
/** A user row as read. */
export type UserRow = Selectable<UserTable>;
/** An API token row as read (the hash of the token, never the token). */
export type ApiTokenRow = Selectable<ApiTokenTable>;
/** A session row as read. */
export type SessionRow = Selectable<SessionTable>;

/**
 * A write to an outside system (a WorldCat create, replace or delete) that was about to be sent and whose
 * outcome is not known yet. Deleted once the outcome is known; a row left behind (a crash, a timeout) tells
 * any later process writing the same thing to look first.
 */
export interface UnsettledWriteTable {
  id: Generated<number>;
  /** What is written, where: e.g. `worldcat:128807:create-bib:<sha256 of the record>`. */
  key: string;
  process_id: number | null;
  created_at: string;
}

/**
 * A write to an outside system known to have been done, with what it produced: e.g. a WorldCat create and the
 * OCLC number it assigned. Kept so that the same write asked for again (the same create batch run twice) is
 * found and not done twice.
 */
export interface WriteHistoryTable {
  id: Generated<number>;
  /** What was written, where: e.g. `worldcat:<base>:128807:create-bib:<sha256 of the record's content>`. */
  key: string;
  /** What the write produced (the OCLC number of a created record). */
  result: string;
  process_id: number | null;
  created_at: string;
}

/** Where a notification is: waiting (or between retries), being sent by one instance, or done. */
export type NotificationStatus = "pending" | "sending" | "sent" | "failed";

/**
 * The outbox: one row per message about a process, written in the transaction that ends the process and
 * delivered by any running instance (claimed, so it is sent once).
 */
export interface NotificationTable {
  id: Generated<number>;
  process_id: number;
  /** The channel's name in the config. */
  channel: string;
  /** JSON list of addresses; null: the channel's own. */
  recipients: string | null;
  /** The config key of the rule that matched, with its `when` (e.g. `notify[0] (failed)`). */
  rule: string;
  /** 1: goes into the recipients' daily digest (sent at next_attempt_at) instead of a message of its own. */
  digest: number;
  /** 1 when the process ended because its worker died (recovery ended it). */
  lost: number;
  status: NotificationStatus;
  attempts: number;
  next_attempt_at: string;
  /** The instance sending it, and until when that claim holds (a claim left by a dead instance expires). */
  claimed_by: string | null;
  claim_expires_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** A notification row as read. */
export type NotificationRow = Selectable<NotificationTable>;
/** A schedule created through the REST API or the CLI (config-defined ones live in the config file). */
export interface ScheduleTable {
  name: string;
  script: string;
  /** JSON array: the script's argv, as on the command line. */
  args: string;
  cron: string;
  timezone: string;
  account: string | null;
  overlap: "skip" | "queue" | "allow";
  catch_up: "skip" | "once";
  priority: number;
  enabled: number;
  created_at: string;
  updated_at: string;
}
export type ScheduleRow = Selectable<ScheduleTable>;

/** What a schedule keeps between runs, config-defined or not: since when it fires, and its state. */
export interface ScheduleStateTable {
  name: string;
  /** Slots before this time are never fired (creation, enabling, a change of its cron). */
  since: string;
  /** JSON state as the last COMPLETED process of the schedule left it. */
  state: string | null;
  state_process_id: number | null;
  state_updated_at: string | null;
}
export type ScheduleStateRow = Selectable<ScheduleStateTable>;

/**
 * The firing ledger: one row per (schedule, slot), written in the transaction that creates the slot's
 * process, so a slot fires once whoever tries. `kind`: fired (a process), skipped (overlap), queued (waits
 * for the previous process; becomes fired), missed (slots lost to downtime; `missed` counts them).
 */
export interface ScheduleFiringTable {
  id: Generated<number>;
  schedule: string;
  slot: string;
  kind: "fired" | "skipped" | "queued" | "missed";
  process_id: number | null;
  missed: Generated<number>;
  worker_id: string | null;
  created_at: string;
}
export type ScheduleFiringRow = Selectable<ScheduleFiringTable>;

/** An inbound event already acted on: (trigger, key) unique, key = idempotency key, signature or file. */
export interface TriggerEventTable {
  id: Generated<number>;
  trigger_name: string;
  key: string;
  process_id: number | null;
  created_at: string;
}

/**
 * The bytes of process files and logs when they live in PostgreSQL (`fileStore: postgres`): one row per
 * chunk (at most 1 MB), `path` the file's path as `process_files.path` has it, `start` its first byte.
 * SQLite has the table too, unused (the postgres file store needs the PostgreSQL store).
 */
export interface FileChunkTable {
  process_id: number;
  path: string;
  start: number;
  data: Uint8Array;
}
