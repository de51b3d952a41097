/**
 * `fileStore: directory`: process files and logs under the data directory (shared by every node that serves or
 * runs processes). A follower in another OS process is woken by a watch on the process's directory.
 */
import { closeSync, createReadStream, type FSWatcher, mkdirSync, openSync, watch, writeSync } from "node:fs";
import { open, rename, rm, stat, utimes } from "node:fs/promises";
import { dirname, join } from "node:path";
import { PRIVATE_DIR, PRIVATE_FILE } from "./data-dir.js";
import type { FileStore, HashedLog, LogSink, LogStore } from "./file-store.js";
import { hashFile } from "./files.js";
import type { LogChunk } from "./log-reader.js";
import { logPathRel, processDirRel } from "./paths.js";

export function directoryFileStore(dataDir: string): FileStore {
  const abs = (rel: string) => join(dataDir, rel);
  const files: FileStore = {
    kind: "directory" as const,
    dataDir,
    async put(_db, _processId, rel, source) {
      const target = abs(rel);
      if (source !== target) {
        mkdirSync(dirname(target), { recursive: true, mode: PRIVATE_DIR });
        await rename(source, target);
      }
      return hashFile(target);
    },
    // The file is where every node reads it: its size is what is readable.
    sync: async (_db, _processId, _rel, source) => (await stat(source)).size,
    fetch: async (rel) => abs(rel),
    read: (rel) => createReadStream(abs(rel)),
    dropLocal: async () => undefined,
    remove: (processId) => rm(abs(processDirRel(processId)), { recursive: true, force: true }),
    logs: directoryLogs(dataDir),
  };
  return Object.freeze(files);
}

function directoryLogs(dataDir: string): LogStore {
  const file = (id: number) => join(dataDir, logPathRel(id));
  return {
    open(processId): LogSink {
      const path = file(processId);
      mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR });
      let fd: number | undefined = openSync(path, "a", PRIVATE_FILE);
      return {
        // Synchronous: a reader sees a line as soon as the script's log call returns.
        append: (text) => {
          if (fd !== undefined) writeSync(fd, text);
        },
        close: () => {
          if (fd !== undefined) closeSync(fd);
          fd = undefined;
        },
        settled: async () => undefined,
      };
    },
    read: (processId, fromByte, maxBytes) => readFileFrom(file(processId), fromByte, maxBytes),
    async hash(processId): Promise<HashedLog | undefined> {
      const path = file(processId);
      const exists = await stat(path).then(
        (s) => s.isFile(),
        () => false,
      );
      return exists ? { path: logPathRel(processId), ...(await hashFile(path)) } : undefined;
    },
    tail: (processId, n) => tailOf(file(processId), n),
    watch(processId, wake) {
      // The process's directory, made if missing (the process may not have started): an append to its log
      // by any OS process on this machine shows there. Not across machines (NFS): the follower's poll is.
      const dir = join(dataDir, processDirRel(processId));
      let watcher: FSWatcher | undefined;
      try {
        mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
        watcher = watch(dir, { persistent: false }, () => wake());
        watcher.on("error", () => watcher?.close());
      } catch {
        watcher = undefined;
      }
      return () => watcher?.close();
    },
    async ended(processId) {
      // A change of the log's times is seen by watchers in other OS processes: they look at the status.
      const now = new Date();
      await utimes(file(processId), now, now).catch(() => undefined);
    },
  };
}

/** Whole lines from `fromByte` up to `maxBytes` (a longer line alone is cut at maxBytes). */
export async function readFileFrom(path: string, fromByte: number, maxBytes: number): Promise<LogChunk> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size <= fromByte) return { text: "", nextByte: fromByte };
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(Math.min(size - fromByte, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, fromByte);
    return wholeLines(buffer.subarray(0, bytesRead), fromByte, maxBytes);
  } finally {
    await handle.close();
  }
}

/** Only whole lines: a line being written stays for the next read (unless it alone fills a step). */
export function wholeLines(bytes: Buffer, fromByte: number, maxBytes: number): LogChunk {
  let end = bytes.lastIndexOf(10, bytes.length - 1) + 1;
  if (end === 0 && bytes.length === maxBytes) end = bytes.length;
  return { text: bytes.subarray(0, end).toString("utf8"), nextByte: fromByte + end };
}

/** The last `n` lines of a log, read from its end (a log can be large). */
async function tailOf(path: string, n: number): Promise<string[]> {
  const handle = await open(path, "r").catch(() => undefined);
  if (!handle) return [];
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return lastLines(buffer, length < size, n);
  } finally {
    await handle.close();
  }
}

/** How much of a log's end `tail` reads. */
export const TAIL_BYTES = 64 * 1024;

export function lastLines(buffer: Buffer, cut: boolean, n: number): string[] {
  const lines = buffer.toString("utf8").split("\n");
  if (cut) lines.shift(); // a partial first line
  while (lines.length && lines[lines.length - 1] === "") lines.pop();
  return lines.slice(-n);
}
