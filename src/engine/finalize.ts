import { join } from "node:path";
import { finishProcess } from "../store/queries/finish-process.js";
import { requeueProcess } from "../store/queries/requeue-process.js";
import type { ProcessRow } from "../store/schema.js";
import { isoTime } from "../store/store.js";
import type { OutputFile } from "./context.js";
import { fileExists, hashFile } from "./files.js";
import { hashLog, recordLogFile, recordOutputs } from "./log-file.js";
import { type Outcome, seconds } from "./outcome.js";
import type { ProcessLogWriter } from "./process-log.js";
import { toProcessRecord } from "./process-record.js";
import type { RunnerDeps } from "./runner.js";

interface Ending {
  readonly deps: RunnerDeps;
  readonly writer: ProcessLogWriter;
  readonly outputs: readonly OutputFile[];
  readonly progress: { done: number; total: number | null } | null;
}

/** Records how a process ended: last log line, files (size, SHA-256), status, and the event. */
export async function finalizeProcess(row: ProcessRow, outcome: Outcome, end: Ending): Promise<void> {
  const { deps, writer } = end;
  if (outcome.kind === "lost") {
    writer.log.warn(`worker ${deps.workerId} lost its lease on this process; another worker ended it`);
    writer.close();
    return;
  }
  if (outcome.kind === "requeue" && !row.secret_keys) return requeue(row, end);
  const finish =
    outcome.kind === "finish"
      ? outcome
      : ({
          status: "FAILED",
          message: "stopped by worker shutdown; its secret parameter values cannot survive a restart",
          result: null,
        } as const);
  const elapsed = deps.clock.now() - Date.parse(row.started_at ?? row.created_at);
  const tail = finish.message ? `: ${finish.message}` : "";
  (finish.status === "COMPLETED" ? writer.log.info : writer.log.error)(
    `${finish.status}${tail} (after ${seconds(elapsed)} s)`,
  );
  writer.close();
  const files = await hashOutputs(deps.dataDir, end.outputs);
  const log = await hashLog(deps.dataDir, row.id);
  const finishedAt = isoTime(deps.clock.now());
  const updated = await deps.store.write(async (db) => {
    const done = await finishProcess(db, {
      id: row.id,
      workerId: deps.workerId,
      status: finish.status,
      finishedAt,
      exitMessage: finish.message,
      result: finish.result === undefined || finish.result === null ? null : JSON.stringify(finish.result),
      progressDone: end.progress?.done,
      progressTotal: end.progress?.total,
    });
    if (done) {
      await recordOutputs(db, row.id, files, finishedAt);
      await recordLogFile(db, row, log, finishedAt);
    }
    return done;
  });
  deps.vault.delete(row.id);
  if (updated) deps.events.emit("process:finished", { process: toProcessRecord(updated) });
}

async function requeue(row: ProcessRow, end: Ending): Promise<void> {
  const { deps, writer } = end;
  writer.log.warn(
    `stopped by worker shutdown; re-queued as SCHEDULED: it runs again (from its checkpoint) after restart`,
  );
  writer.close();
  const updated = await deps.store.write((db) => requeueProcess(db, row.id, deps.workerId));
  if (updated) deps.events.emit("process:requeued", { process: toProcessRecord(updated) });
}

async function hashOutputs(dataDir: string, outputs: readonly OutputFile[]) {
  const files = [];
  for (const output of outputs) {
    const abs = join(dataDir, output.path);
    if (!(await fileExists(abs))) continue;
    files.push({ ...output, ...(await hashFile(abs)) });
  }
  return files;
}
