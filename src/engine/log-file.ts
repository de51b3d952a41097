import { createHash } from "node:crypto";
import { appendFileSync, createReadStream, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { appendChunk } from "../store/queries/file-chunks.js";
import { insertProcessFile } from "../store/queries/process-files.js";
import type { ProcessRow } from "../store/schema.js";
import type { Db } from "../store/store.js";
import type { OutputFile } from "./context.js";
import { PRIVATE_DIR, PRIVATE_FILE } from "./data-dir.js";
import type { LogLevel } from "./events.js";
import type { FileStore, HashedLog } from "./file-store.js";
import { fileExists } from "./files.js";
import { logDisplayName, logPathRel } from "./paths.js";

export type { HashedLog };

/** Size and SHA-256 of a process's log (undefined when it has none). Outside any transaction. */
export function hashLog(files: FileStore, processId: number): Promise<HashedLog | undefined> {
  return files.logs.hash(processId);
}

/** A line to end a log with, and the log as it will be once the line is there. */
export interface EndingLine {
  /** Appends the line inside the transaction `db` that ends the process; returns the log as it is then. */
  append(db: Db): Promise<HashedLog>;
}

/**
 * Prepares the last line of a log the caller does not write itself (recovery, cancel before start, an engine
 * error), appended and recorded inside the one transaction that ends the process, so whoever sees it ended
 * finds the line in the log and the `log` file recorded. In a directory the log is hashed beforehand (outside
 * the transaction); in PostgreSQL the line is appended and the log hashed inside it.
 */
export async function endingLine(
  files: FileStore,
  processId: number,
  level: LogLevel,
  message: string,
  now: number,
): Promise<EndingLine> {
  const text = lineText(level, message, now);
  const rel = logPathRel(processId);
  if (files.kind === "postgres") {
    return {
      async append(db) {
        await appendChunk(db, processId, rel, text);
        return (await files.logs.hash(processId, db)) ?? { path: rel, size: 0, sha256: "" };
      },
    };
  }
  const abs = join(files.dataDir, rel);
  const hash = createHash("sha256");
  let size = 0;
  if (await fileExists(abs)) {
    for await (const chunk of createReadStream(abs)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  }
  hash.update(text);
  const log = { path: rel, size: size + text.length, sha256: hash.digest("hex") };
  return {
    append: async () => {
      appendText(abs, text);
      return log;
    },
  };
}

/**
 * Appends a line and hashes the log at once: for a log known to be small (a process that never started),
 * inside the transaction that ends it. In a directory synchronously, with no await to let a claim in before it.
 */
export async function appendEndingLine(
  files: FileStore,
  db: Db,
  processId: number,
  level: LogLevel,
  message: string,
  now: number,
): Promise<HashedLog> {
  if (files.kind === "postgres") return (await endingLine(files, processId, level, message, now)).append(db);
  const rel = logPathRel(processId);
  const abs = join(files.dataDir, rel);
  appendText(abs, lineText(level, message, now));
  const bytes = readFileSync(abs);
  return { path: rel, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** `ISO-time LEVEL message` (one line per line of the message), as process logs have them. */
function lineText(level: LogLevel, message: string, now: number): Buffer {
  const time = new Date(now).toISOString();
  return Buffer.from(
    message
      .split(/\r?\n/)
      .map((part) => `${time} ${level} ${part}\n`)
      .join(""),
  );
}

function appendText(abs: string, text: Buffer): void {
  mkdirSync(dirname(abs), { recursive: true, mode: PRIVATE_DIR });
  appendFileSync(abs, text, { mode: PRIVATE_FILE });
}

/** Records (or re-records) a process's log file as its `log` file. */
export async function recordLogFile(db: Db, row: ProcessRow, log: HashedLog | undefined, now: string) {
  if (!log) return;
  const { size, sha256 } = log;
  const rel = log.path;
  await db.deleteFrom("process_files").where("process_id", "=", row.id).where("type", "=", "log").execute();
  await insertProcessFile(db, {
    processId: row.id,
    type: "log",
    name: logDisplayName(row.script, row.id),
    path: rel,
    size,
    sha256,
    createdAt: now,
  });
}

/** Records the outputs a script wrote. */
export async function recordOutputs(
  db: Db,
  processId: number,
  files: readonly (OutputFile & { size: number; sha256: string; kept?: boolean })[],
  now: string,
): Promise<void> {
  for (const f of files) {
    // Listed already when kept with checkpoints (unhashed, the part saved): recorded whole now.
    if (f.kept)
      await db
        .deleteFrom("process_files")
        .where("process_id", "=", processId)
        .where("path", "=", f.path)
        .execute();
    await insertProcessFile(db, {
      processId,
      type: f.type,
      name: f.name,
      path: f.path,
      size: f.size,
      sha256: f.sha256,
      createdAt: now,
    });
  }
}
