import { chmod, stat } from "node:fs/promises";
import { join } from "node:path";
import { coerceError } from "../errors.js";
import { LOG_CHANNEL } from "../store/queries/file-chunks.js";
import { type Finish, finishProcess, finishWithLog } from "../store/queries/finish-process.js";
import { getProcess } from "../store/queries/get-process.js";
import { requeueProcess } from "../store/queries/requeue-process.js";
import { saveScheduleState } from "../store/queries/schedule-states.js";
import type { ProcessRow } from "../store/schema.js";
import { isoTime } from "../store/store.js";
import type { OutputFile } from "./context.js";
import { PRIVATE_FILE } from "./data-dir.js";
import { fileExists, hashFile } from "./files.js";
import { endingLine, hashLog, recordLogFile, recordOutputs } from "./log-file.js";
import { type Outcome, seconds } from "./outcome.js";
import { logDisplayName } from "./paths.js";
import { createMasker, type ProcessLogWriter } from "./process-log.js";
import { statusText, toProcessRecord } from "./process-record.js";
import type { RunnerDeps } from "./runner.js";
import { resolveSecrets } from "./secrets.js";

interface Ending {
  readonly deps: RunnerDeps;
  readonly writer: ProcessLogWriter;
  readonly outputs: readonly OutputFile[];
  /** The outputs kept with the checkpoints (relative paths): partly stored already. */
  readonly kept?: ReadonlySet<string>;
  readonly progress: { done: number; total: number | null } | null;
  /** The schedule state the script set (JSON): committed with the end, and only when it is COMPLETED. */
  readonly scheduleState?: string;
}

/** Records how a process ended: last log line, files (size, SHA-256), status, and the event. */
export async function finalizeProcess(row: ProcessRow, outcome: Outcome, end: Ending): Promise<void> {
  const { deps, writer } = end;
  if (outcome.kind === "lost") {
    writer.log.warn(`worker ${deps.workerId} lost its lease on this process; another worker ended it`);
    writer.close();
    await writer.settled();
    return;
  }
  // A cancel asked for while the script stopped for a shutdown wins: re-queueing would run it again.
  if (outcome.kind === "requeue" && !row.secret_keys && (await requeue(row, end))) return;
  const finish =
    outcome.kind === "finish"
      ? outcome
      : row.secret_keys
        ? ({
            status: "FAILED",
            message: "stopped by worker shutdown; its secret parameter values cannot survive a restart",
            result: null,
          } as const)
        : ({ status: "CANCELLED", message: "cancelled while running", result: null } as const);
  // The exit message is shown by the CLI, REST and UI: mask secrets as in the log (an error may quote one).
  const message = finish.message === null ? null : writer.mask(finish.message);
  const result = resultJson(finish.result, writer);
  const elapsed = deps.clock.now() - Date.parse(row.started_at ?? row.created_at);
  const items = "items" in finish ? finish.items : undefined;
  const said = statusText({
    status: finish.status,
    outcome: items?.outcome ?? null,
    outcomeCounts: items?.counts ?? null,
  });
  const tail = message ? `: ${message}` : "";
  (finish.status !== "COMPLETED"
    ? writer.log.error
    : items?.outcome === "errors"
      ? writer.log.warn
      : writer.log.info)(`${said}${tail} (after ${seconds(elapsed)} s)`);
  writer.close();
  // Every line stored before the log is hashed (in PostgreSQL the last ones may still be on their way).
  await writer.settled();
  const files = await storeOutputs(deps, row.id, end.outputs, end.kept);
  // Read back only when the writer did not store the whole log itself (an earlier run's lines are in it).
  const log = writer.hashed() ?? (await hashLog(deps.files, row.id));
  const finishedAt = isoTime(deps.clock.now());
  const ending: Finish = {
    id: row.id,
    workerId: deps.workerId,
    status: finish.status,
    finishedAt,
    exitMessage: message,
    result,
    progressDone: end.progress?.done,
    progressTotal: end.progress?.total,
    outcome: finish.status === "COMPLETED" ? (items?.outcome ?? null) : null,
    outcomeCounts: items && finish.status === "COMPLETED" ? JSON.stringify(items.counts) : null,
  };
  // PostgreSQL, nothing but the status and the log to record (no outputs, no outbox, no schedule state): one
  // statement, which also tells the log's followers on every node; a short process is mostly round trips.
  const alone =
    deps.store.dialect === "postgres" &&
    files.length === 0 &&
    !deps.onFinish &&
    !(row.schedule_name && end.scheduleState !== undefined);
  const updated = alone
    ? await finishWithLog(
        deps.store.db,
        ending,
        log && { ...log, name: logDisplayName(row.script, row.id) },
        LOG_CHANNEL,
      )
    : await deps.store.write(async (db) => {
        const done = await finishProcess(db, ending);
        if (done) {
          await recordOutputs(db, row.id, files, finishedAt);
          await recordLogFile(db, row, log, finishedAt);
          if (done.status === "COMPLETED" && row.schedule_name && end.scheduleState !== undefined)
            await saveScheduleState(db, row.schedule_name, end.scheduleState, row.id, finishedAt);
          await deps.onFinish?.(db, { row: done, lost: false });
        }
        return done;
      });
  deps.vault.delete(row.id);
  // Kept in PostgreSQL now: this node's working copy goes (not for a process that did not end here). A
  // FAILED or CANCELLED one keeps it: a version 1 batch checkpoint (before reports were kept with it) names a
  // local report, which a resume here reads.
  if (updated?.status === "COMPLETED") await deps.files.dropLocal(row.id);
  if (updated) deps.events.emit("process:finished", { process: toProcessRecord(updated), logEnded: alone });
}

/**
 * Puts the process back in the queue (graceful shutdown); false, with the log still open, when a cancel was
 * asked for meanwhile: the process is to end CANCELLED instead.
 */
async function requeue(row: ProcessRow, end: Ending): Promise<boolean> {
  const { deps, writer } = end;
  const cancelAsked = (p: ProcessRow | undefined) => p?.status === "RUNNING" && p.cancel_requested === 1;
  if (cancelAsked(await getProcess(deps.store.db, row.id))) return false;
  writer.log.warn(
    `stopped by worker shutdown; re-queued as SCHEDULED: it runs again (from its checkpoint) after restart`,
  );
  // Checked again where it counts: a cancel between the read above and this write must not be lost either.
  const requeued = await deps.store.write(async (db) =>
    cancelAsked(await getProcess(db, row.id)) ? "cancel" : requeueProcess(db, row.id, deps.workerId),
  );
  if (requeued === "cancel") return false;
  writer.close();
  await writer.settled();
  if (requeued) deps.events.emit("process:requeued", { process: toProcessRecord(requeued) });
  return true;
}

/**
 * The result summary as JSON, secret values masked in its strings, keys and numbers as in the log; null (with
 * a log line) when JSON cannot hold it (a BigInt, a cycle).
 */
function resultJson(result: unknown, writer: ProcessLogWriter): string | null {
  if (result === undefined || result === null) return null;
  try {
    const json = JSON.stringify(result);
    // Masked on the parsed copy, not the text: a secret may match inside an escape or a number.
    return json === undefined ? null : JSON.stringify(maskDeep(JSON.parse(json), writer.mask));
  } catch (err) {
    writer.log.warn(`result summary not recorded: ${coerceError(err).message}`);
    return null;
  }
}

function maskDeep(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === "string") return mask(value);
  if (typeof value === "number") {
    const text = String(value);
    return mask(text) === text ? value : mask(text);
  }
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [mask(k), maskDeep(v, mask)]));
  }
  return value;
}

/** Hashes the outputs a script wrote and keeps them in the file store (in PostgreSQL: streamed in chunks). */
async function storeOutputs(
  deps: RunnerDeps,
  processId: number,
  outputs: readonly OutputFile[],
  kept: ReadonlySet<string> = new Set(),
) {
  const files = [];
  for (const output of outputs) {
    const abs = join(deps.dataDir, output.path);
    if (!(await fileExists(abs))) continue;
    // A script writes its outputs with the mode it likes; they hold the records of the batch.
    await chmod(abs, PRIVATE_FILE);
    // (An empty one is put: one empty chunk says it exists, which a sync never writes.)
    if (kept.has(output.path) && (await stat(abs)).size > 0) {
      // Stored up to the last checkpoint already: the rest is added, the whole hashed here.
      await deps.files.sync(deps.store.db, processId, output.path, abs);
      files.push({ ...output, ...(await hashFile(abs)), kept: true });
    } else files.push({ ...output, ...(await deps.files.put(deps.store.db, processId, output.path, abs)) });
  }
  return files;
}

/**
 * Ends FAILED a process whose run or finalization threw inside the engine (not the script), so it is not
 * left RUNNING under a live worker. Only if it is still RUNNING under this worker.
 */
export async function failStranded(row: ProcessRow, deps: RunnerDeps, err: unknown): Promise<void> {
  const now = deps.clock.now();
  const mask = createMasker(resolveSecrets(row, deps.vault).strings);
  const message = mask(`engine error: ${coerceError(err).message}`);
  const ending = await endingLine(deps.files, row.id, "ERROR", `FAILED: ${message}`, now);
  const done = await deps.store.write(async (db) => {
    const failed = await finishProcess(db, {
      id: row.id,
      workerId: deps.workerId,
      status: "FAILED",
      finishedAt: isoTime(now),
      exitMessage: message,
    });
    if (failed) {
      await recordLogFile(db, failed, await ending.append(db), isoTime(now));
      await deps.onFinish?.(db, { row: failed, lost: false });
    }
    return failed;
  });
  deps.vault.delete(row.id);
  if (done) deps.events.emit("process:finished", { process: toProcessRecord(done) });
}
