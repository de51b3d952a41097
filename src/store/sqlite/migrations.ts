import { sql } from "kysely";
import { applyPending, type BeforeMigrate, type Migration } from "../migration.js";
import type { Db } from "../store.js";
import { withBusyRetry } from "./busy.js";
import { writeTransaction } from "./transaction.js";

export type { Migration };

/** Numbered, append-only. Never edit a released migration: add the next one. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "processes, process files, workers",
    async up(db) {
      await sql`create table processes (
        id integer primary key autoincrement,
        script text not null,
        parameters text not null default '[]',
        param_values text not null default '{}',
        secret_keys text,
        started_by text not null,
        user_id text,
        account text,
        status text not null check (status in ('SCHEDULED','RUNNING','COMPLETED','FAILED','CANCELLED')),
        priority integer not null default 0,
        run_at text not null,
        created_at text not null,
        started_at text,
        finished_at text,
        progress_done integer,
        progress_total integer,
        heartbeat_at text,
        lease_expires_at text,
        worker_id text,
        result text,
        exit_message text,
        checkpoint text,
        resumed_from integer references processes(id) on delete set null,
        cancel_requested integer not null default 0
      )`.execute(db);
      await sql`create index processes_queue on processes (status, priority, run_at, id)`.execute(db);
      await sql`create index processes_script on processes (script, status)`.execute(db);
      await sql`create index processes_worker on processes (worker_id, status)`.execute(db);
      await sql`create index processes_created on processes (created_at)`.execute(db);
      await sql`create index processes_user on processes (user_id, created_at)`.execute(db);
      await sql`create table process_files (
        id integer primary key autoincrement,
        process_id integer not null references processes(id) on delete cascade,
        type text not null,
        name text not null,
        path text not null,
        size integer,
        sha256 text,
        created_at text not null
      )`.execute(db);
      await sql`create index process_files_process on process_files (process_id, type)`.execute(db);
      await sql`create table workers (
        id text primary key,
        host text not null,
        pid integer not null,
        started_at text not null,
        heartbeat_at text not null
      )`.execute(db);
    },
  },
  {
    version: 2,
    name: "users, api tokens, sessions",
    async up(db) {
      await sql`create table users (
        id text primary key,
        name text not null unique,
        role text not null check (role in ('admin','operator','viewer')),
        password_hash text,
        created_at text not null
      )`.execute(db);
      await sql`create table api_tokens (
        id integer primary key autoincrement,
        user_id text not null references users(id) on delete cascade,
        token_hash text not null unique,
        created_at text not null,
        last_used_at text
      )`.execute(db);
      await sql`create index api_tokens_user on api_tokens (user_id)`.execute(db);
      await sql`create table sessions (
        id_hash text primary key,
        user_id text not null references users(id) on delete cascade,
        csrf_token text not null,
        created_at text not null,
        expires_at text not null
      )`.execute(db);
      await sql`create index sessions_user on sessions (user_id)`.execute(db);
    },
  },
  {
    version: 3,
    name: "indexes for sorting processes by start and end time",
    // Without them, sort=startTime or sort=endTime sorts the whole table for every page (13-20 ms at
    // 100,000 processes); the rowid at the end of each index entry also serves the `id` tie-break.
    async up(db) {
      await sql`create index processes_started on processes (started_at)`.execute(db);
      await sql`create index processes_finished on processes (finished_at)`.execute(db);
    },
  },
  {
    version: 4,
    name: "index for a user's processes, newest first",
    // search/own (and userId filters) sort by id by default: without it, every page sorted all of the
    // user's processes (1.5 ms at 10,000 of them); with it, the page is read in order (30 us).
    async up(db) {
      await sql`create index processes_user_id on processes (user_id, id)`.execute(db);
    },
  },
  {
    version: 5,
    name: "unsettled writes",
    async up(db) {
      await sql`create table unsettled_writes (
        id integer primary key autoincrement,
        key text not null,
        process_id integer,
        created_at text not null
      )`.execute(db);
      await sql`create index unsettled_writes_keys on unsettled_writes (key)`.execute(db);
    },
  },
  {
    version: 6,
    name: "write history",
    async up(db) {
      await sql`create table write_history (
        id integer primary key autoincrement,
        key text not null,
        result text not null,
        process_id integer,
        created_at text not null
      )`.execute(db);
      await sql`create index write_history_keys on write_history (key)`.execute(db);
    },
  },
  {
    version: 7,
    name: "notifications (the outbox)",
    async up(db) {
      await sql`create table notifications (
        id integer primary key autoincrement,
        process_id integer not null references processes(id) on delete cascade,
        channel text not null,
        recipients text,
        rule text not null,
        digest integer not null default 0,
        lost integer not null default 0,
        status text not null check (status in ('pending','sending','sent','failed')),
        attempts integer not null default 0,
        next_attempt_at text not null,
        claimed_by text,
        claim_expires_at text,
        last_error text,
        created_at text not null,
        sent_at text
      )`.execute(db);
      await sql`create index notifications_due on notifications (status, next_attempt_at)`.execute(db);
      await sql`create index notifications_process on notifications (process_id)`.execute(db);
    },
  },
  {
    version: 8,
    name: "schedules, firing ledger, schedule state, trigger events",
    // The firing ledger's unique (schedule, slot) and the trigger events' unique (trigger, key) are what make
    // "exactly once" true: the row is written in the transaction that creates the process.
    async up(db) {
      await sql`alter table processes add column schedule_name text`.execute(db);
      await sql`alter table processes add column scheduled_for text`.execute(db);
      await sql`alter table processes add column trigger_name text`.execute(db);
      await sql`create index processes_schedule on processes (schedule_name, status)`.execute(db);
      await sql`create table schedules (
        name text primary key,
        script text not null,
        args text not null default '[]',
        cron text not null,
        timezone text not null,
        account text,
        overlap text not null check (overlap in ('skip','queue','allow')),
        catch_up text not null check (catch_up in ('skip','once')),
        priority integer not null default 0,
        enabled integer not null default 1,
        created_at text not null,
        updated_at text not null
      )`.execute(db);
      await sql`create table schedule_states (
        name text primary key,
        since text not null,
        state text,
        state_process_id integer,
        state_updated_at text
      )`.execute(db);
      await sql`create table schedule_firings (
        id integer primary key autoincrement,
        schedule text not null,
        slot text not null,
        kind text not null check (kind in ('fired','skipped','queued','missed')),
        process_id integer,
        missed integer not null default 0,
        worker_id text,
        created_at text not null,
        unique (schedule, slot)
      )`.execute(db);
      await sql`create index schedule_firings_queued on schedule_firings (kind, schedule, slot)`.execute(db);
      await sql`create table trigger_events (
        id integer primary key autoincrement,
        trigger_name text not null,
        key text not null,
        process_id integer,
        created_at text not null,
        unique (trigger_name, key)
      )`.execute(db);
    },
  },
  {
    version: 9,
    name: "process outcome (ok, warnings, errors) and its counts",
    async up(db) {
      await sql`alter table processes add column outcome text`.execute(db);
      await sql`alter table processes add column outcome_counts text`.execute(db);
    },
  },
  {
    version: 10,
    name: "process parameters as sent (names and values as written), echoed by the REST API",
    async up(db) {
      await sql`alter table processes add column parameters_as_sent text`.execute(db);
    },
  },
  {
    version: 11,
    name: "file chunks: process files and logs in the database (fileStore: postgres)",
    async up(db) {
      // Unused on SQLite (the postgres file store needs the PostgreSQL store); kept so both schemas match.
      await sql`create table file_chunks (
        process_id integer not null references processes(id) on delete cascade,
        path text not null,
        start integer not null,
        data blob not null,
        primary key (path, start)
      )`.execute(db);
      await sql`create index file_chunks_process on file_chunks (process_id)`.execute(db);
    },
  },
  {
    version: 12,
    name: "API tokens: a label and an optional expiry",
    async up(db) {
      await sql`alter table api_tokens add column label text`.execute(db);
      await sql`alter table api_tokens add column expires_at text`.execute(db);
    },
  },
];

/**
 * Brings the schema up to date. Runs under the write lock, so several OS processes starting at once on one
 * data directory migrate exactly once.
 */
export async function migrate(db: Db, now: () => number = Date.now, before?: BeforeMigrate): Promise<number> {
  await withBusyRetry(() =>
    sql`create table if not exists migrations (
      version integer primary key, name text not null, applied_at text not null)`.execute(db),
  );
  return writeTransaction(db, (tx) => applyPending(tx, migrations, now, before));
}
