import { join } from "node:path";
import { insertProcessFile } from "../store/queries/process-files.js";
import type { ProcessRow } from "../store/schema.js";
import type { Db } from "../store/store.js";
import type { OutputFile } from "./context.js";
import { fileExists, hashFile } from "./files.js";
import { logDisplayName, logPathRel } from "./paths.js";

export interface HashedLog {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** Size and SHA-256 of a process's log file (undefined when it has none). Outside any transaction. */
export async function hashLog(dataDir: string, processId: number): Promise<HashedLog | undefined> {
  const rel = logPathRel(processId);
  const abs = join(dataDir, rel);
  if (!(await fileExists(abs))) return undefined;
  return { path: rel, ...(await hashFile(abs)) };
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
  files: readonly (OutputFile & { size: number; sha256: string })[],
  now: string,
): Promise<void> {
  for (const f of files) {
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
