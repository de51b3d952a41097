import { requestCancel } from "../store/queries/request-cancel.js";
import { isoTime, type Store } from "../store/store.js";
import type { Clock } from "./clock.js";
import { ProcessNotFoundError } from "./errors.js";
import type { EngineEmitter } from "./events.js";
import type { FileStore } from "./file-store.js";
import type { FinishHook } from "./finish-hook.js";
import { appendEndingLine, recordLogFile } from "./log-file.js";
import { type ProcessRecord, toProcessRecord } from "./process-record.js";

export interface CancelDeps {
  readonly store: Store;
  readonly events: EngineEmitter;
  readonly dataDir: string;
  readonly files: FileStore;
  readonly clock: Clock;
  /** Run in the transaction that ends each process (the notification outbox). */
  readonly onFinish?: FinishHook;
}

/**
 * Cancels a process from any OS process. SCHEDULED: CANCELLED at once. RUNNING: flagged; the worker that
 * runs it aborts its signal (at once when that worker lives in this OS process, else on its next poll)
 * and it ends CANCELLED. A finished process is returned unchanged.
 */
export async function cancelProcess(deps: CancelDeps, id: number): Promise<ProcessRecord> {
  const now = deps.clock.now();
  const change = await deps.store.write(async (db) => {
    const asked = await requestCancel(db, id, isoTime(now));
    // Inside the transaction: whoever sees CANCELLED finds the line in the log and the log recorded.
    if (asked?.previous === "SCHEDULED") {
      const log = await appendEndingLine(deps.files, db, id, "INFO", "CANCELLED before it started", now);
      await recordLogFile(db, asked.row, log, isoTime(now));
      await deps.onFinish?.(db, { row: asked.row, lost: false });
    }
    return asked;
  });
  if (!change) throw new ProcessNotFoundError(id);
  const { previous, row } = change;
  if (previous === "SCHEDULED") {
    deps.events.emit("process:finished", { process: toProcessRecord(row) });
  } else if (row.status === "RUNNING") {
    deps.events.emit("process:cancel-requested", { processId: id });
  }
  return toProcessRecord(row);
}
