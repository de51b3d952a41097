/**
 * What a message about a process says, gathered from the store and the data directory when it is sent: the
 * process as it ended, who or what started it, its account (SANDBOX or PRODUCTION), counts by outcome, the top
 * error codes (the report's error_code: OCLC's or Nightshift's), the duration, the last log lines and the failures file.
 */
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import type { FileStore } from "../engine/file-store.js";
import { logPathRel } from "../engine/paths.js";
import { listProcessFiles } from "../store/queries/process-files.js";
import { findUserById } from "../store/queries/users.js";
import type { ProcessRow } from "../store/schema.js";
import type { Db } from "../store/store.js";
import { originOf } from "./outbox.js";
import { type ProcessOutcome, processOutcome } from "./outcome.js";

/** Attached when smaller than this (1 MB). */
export const ATTACH_LIMIT = 1_000_000;
export const LOG_TAIL_LINES = 20;

export interface FailuresFile {
  readonly name: string;
  readonly size: number;
  /** Absolute path; set when the file is attached (small enough). */
  readonly path?: string;
}

export interface MessageFacts {
  readonly processId: number;
  readonly script: string;
  readonly status: ProcessRow["status"];
  readonly outcome: ProcessOutcome;
  readonly lost: boolean;
  readonly startedBy: ProcessRow["started_by"];
  readonly user: string | null;
  readonly schedule: string | null;
  readonly trigger: string | null;
  readonly account: string | null;
  readonly sandbox: boolean;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly exitMessage: string | null;
  readonly total: number | null;
  readonly counts: Readonly<Record<string, number>> | null;
  readonly topCodes: readonly { readonly code: string; readonly count: number }[];
  readonly logTail: readonly string[];
  readonly url: string | null;
  readonly failures: FailuresFile | null;
}

export interface FactsContext {
  readonly db: Db;
  readonly dataDir: string;
  /** The file store (logs and files in PostgreSQL are read from there); default: the data directory. */
  readonly files?: FileStore;
  readonly publicUrl?: string;
  /** Whether an account name is a sandbox one. */
  readonly isSandbox: (account: string) => boolean;
}

/** The facts of a finished process. `lost` comes from the rule that matched (the row says FAILED). */
export async function gatherFacts(ctx: FactsContext, row: ProcessRow, lost: boolean): Promise<MessageFacts> {
  const summary = parse(row.result);
  const byOutcome = isRecord(summary?.byOutcome) ? numbers(summary.byOutcome) : null;
  const byCode = isRecord(summary?.byCode) ? numbers(summary.byCode) : {};
  const user = row.user_id ? ((await findUserById(ctx.db, row.user_id))?.name ?? row.user_id) : null;
  const started = row.started_at ?? row.created_at;
  const origin = originOf(row);
  return {
    processId: row.id,
    script: row.script,
    status: row.status,
    outcome: processOutcome(row),
    lost,
    startedBy: row.started_by,
    user,
    schedule: origin.schedule ?? null,
    trigger: origin.trigger ?? null,
    account: row.account,
    sandbox: row.account ? ctx.isSandbox(row.account) : false,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.finished_at ? Date.parse(row.finished_at) - Date.parse(started) : null,
    exitMessage: row.exit_message,
    total: typeof summary?.total === "number" ? summary.total : null,
    counts: byOutcome,
    topCodes: Object.entries(byCode)
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1))
      .slice(0, 5),
    logTail: ctx.files
      ? await ctx.files.logs.tail(row.id, LOG_TAIL_LINES)
      : await logTail(join(ctx.dataDir, logPathRel(row.id)), LOG_TAIL_LINES),
    url: ctx.publicUrl ? `${ctx.publicUrl}/api/system/processes/${row.id}` : null,
    failures: await failuresFile(ctx, row.id),
  };
}

async function failuresFile(ctx: FactsContext, processId: number): Promise<FailuresFile | null> {
  const [file] = await listProcessFiles(ctx.db, processId, "failures");
  if (!file) return null;
  const abs = join(ctx.dataDir, file.path);
  const size = file.size ?? (await stat(abs).catch(() => undefined))?.size;
  if (size === undefined) return null;
  if (size >= ATTACH_LIMIT) return { name: file.name, size };
  // In PostgreSQL: fetched into this node's data directory to be attached.
  const path = ctx.files?.kind === "postgres" ? await ctx.files.fetch(file.path).catch(() => undefined) : abs;
  return { name: file.name, size, ...(path ? { path } : {}) };
}

/** The last `n` lines of a log, read from its end (a log can be large). */
export async function logTail(path: string, n: number): Promise<string[]> {
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return [];
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").split("\n");
    if (length < size) lines.shift(); // a partial first line
    while (lines.length && lines[lines.length - 1] === "") lines.pop();
    return lines.slice(-n);
  } finally {
    await handle.close();
  }
}

type Summary = Record<string, unknown>;

function parse(result: string | null): Summary | undefined {
  if (!result) return undefined;
  try {
    const value: unknown = JSON.parse(result);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function numbers(record: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(record)) if (typeof v === "number") out[k] = v;
  return out;
}
