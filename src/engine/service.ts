import { join } from "node:path";
import type { Readable } from "node:stream";
import { deleteProcess as deleteRow } from "../store/queries/delete-process.js";
import { getProcess } from "../store/queries/get-process.js";
import { listProcesses, type ProcessFilter } from "../store/queries/list-processes.js";
import { type CountFilter, countProcessesByStatus } from "../store/queries/process-counts.js";
import { listProcessFiles } from "../store/queries/process-files.js";
import { PROCESS_STATUSES, type ProcessStatus } from "../store/schema.js";
import { type CancelDeps, cancelProcess } from "./cancel.js";
import {
  type CreateProcessDeps,
  type CreateProcessRequest,
  createProcess,
  type StartedBy,
} from "./create-process.js";
import { ProcessNotFoundError, ProcessRunningError } from "./errors.js";
import { type FollowOptions, followLog, type LogChunk, readLog } from "./log-reader.js";
import { type ProcessFile, type ProcessRecord, toProcessFile, toProcessRecord } from "./process-record.js";
import { againRequest } from "./resume-request.js";

export type { CreateProcessRequest, StartedBy };
export type ProcessQuery = ProcessFilter;

export interface ProcessPage {
  readonly items: readonly ProcessRecord[];
  readonly total: number;
  readonly page: number;
  readonly size: number;
}

/** The one way the CLI, REST and schedules touch processes. */
export interface ProcessService {
  createProcess(req: CreateProcessRequest): Promise<ProcessRecord>;
  getProcess(id: number): Promise<ProcessRecord | undefined>;
  /** Filters combine (AND); newest first by default; `page` is zero-based. */
  listProcesses(query?: ProcessQuery): Promise<ProcessPage>;
  /** How many processes of each status match the filters (every status present, 0 for none). */
  countProcesses(filter?: CountFilter): Promise<Record<ProcessStatus, number>>;
  cancelProcess(id: number): Promise<ProcessRecord>;
  /** Deletes a process that is not RUNNING, with its files; throws ProcessRunningError otherwise. */
  deleteProcess(id: number): Promise<void>;
  /** The log from `fromByte` (whole lines, at most `maxBytes` unless one line is longer; all by default). */
  readLog(id: number, options?: { fromByte?: number; maxBytes?: number }): Promise<LogChunk>;
  followLog(id: number, options?: FollowOptions): AsyncIterable<string>;
  listFiles(id: number, type?: string): Promise<ProcessFile[]>;
  /**
   * A file of a process by its id, its bytes streamed from the file store; `path` is where it is in the data
   * directory (the file itself with `fileStore: directory`; with postgres only a working copy, if any).
   */
  openFile(id: number, fileId: number): Promise<{ file: ProcessFile; path: string; stream(): Readable }>;
  /**
   * A new process of the same script with the same parameters and input files. With `resume` (default: when
   * the process ended FAILED or CANCELLED and left a checkpoint), the new one continues where it stopped
   * (`resumedFrom`), as `--resume <id>` does.
   */
  rerun(id: number, startedBy: StartedBy, options?: { resume?: boolean }): Promise<ProcessRecord>;
}

export type ServiceDeps = CreateProcessDeps & CancelDeps;

export function createProcessService(deps: ServiceDeps): ProcessService {
  const { store } = deps;
  const require = async (id: number) => {
    const row = await getProcess(store.db, id);
    if (!row) throw new ProcessNotFoundError(id);
    return row;
  };
  const service: ProcessService = {
    createProcess: (req) => createProcess(deps, req),
    async getProcess(id) {
      const row = await getProcess(store.db, id);
      return row && toProcessRecord(row);
    },
    async listProcesses(query = {}) {
      const { rows, total } = await listProcesses(store.db, query);
      return { items: rows.map(toProcessRecord), total, page: query.page ?? 0, size: query.size ?? 20 };
    },
    async countProcesses(filter = {}) {
      const counts = await countProcessesByStatus(store.db, filter);
      return Object.fromEntries(PROCESS_STATUSES.map((s) => [s, counts.get(s) ?? 0])) as Record<
        ProcessStatus,
        number
      >;
    },
    cancelProcess: (id) => cancelProcess(deps, id),
    async deleteProcess(id) {
      const row = await require(id);
      if (row.status === "RUNNING") throw new ProcessRunningError(id, "delete");
      const deleted = await store.write((db) => deleteRow(db, id));
      if (!deleted) throw new ProcessRunningError(id, "delete");
      await deps.files.remove(id);
      deps.events.emit("process:deleted", { processId: id });
    },
    readLog: (id, options = {}) => readLog(store, deps.files, id, options.fromByte, options.maxBytes),
    followLog: (id, options) => followLog(store, deps.files, deps.events, id, options),
    async listFiles(id, type) {
      await require(id);
      return (await listProcessFiles(store.db, id, type)).map(toProcessFile);
    },
    async openFile(id, fileId) {
      const file = (await listProcessFiles(store.db, id)).find((f) => f.id === fileId);
      if (!file) throw new ProcessNotFoundError(id);
      const path = join(deps.dataDir, file.path);
      return { file: toProcessFile(file), path, stream: () => deps.files.read(file.path) };
    },
    async rerun(id, startedBy, options = {}) {
      const row = await require(id);
      const unfinished = (row.status === "FAILED" || row.status === "CANCELLED") && row.checkpoint !== null;
      const again = await againRequest(deps, id, { resume: options.resume ?? unfinished });
      return createProcess(deps, { ...again, script: again.script.name, startedBy });
    },
  };
  return Object.freeze(service);
}
