import { getProcess } from "../store/queries/get-process.js";
import type { Store } from "../store/store.js";
import { ProcessNotFoundError } from "./errors.js";
import type { EngineEmitter } from "./events.js";
import type { FileStore } from "./file-store.js";
import { isFinished } from "./process-record.js";

export interface LogChunk {
  readonly text: string;
  /** Where the next read should start (bytes). */
  readonly nextByte: number;
}

/**
 * Reads a process's log from a byte offset (the whole log by default, else whole lines up to `maxBytes`);
 * readable while it runs, from any node when the file store is PostgreSQL.
 */
export async function readLog(
  store: Store,
  files: FileStore,
  id: number,
  fromByte = 0,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<LogChunk> {
  if (!(await getProcess(store.db, id))) throw new ProcessNotFoundError(id);
  return files.logs.read(id, fromByte, maxBytes);
}

/** How much a follow reads at once: a long log is followed in steps, not loaded whole. */
const FOLLOW_CHUNK = 1024 * 1024;

/**
 * How long a follower waits when nothing woke it: the wake-ups (events of this OS process, a watch on the
 * directory, PostgreSQL notifications) say when there is more, this poll only catches one that was missed.
 */
export const FOLLOW_FALLBACK_MS = 2000;

export interface FollowOptions {
  readonly fromByte?: number;
  /** The fallback poll (default FOLLOW_FALLBACK_MS). */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Yields log lines as they are written, until the process has ended and its log is read to the end. Woken by
 * whatever says the log grew or the process ended, in this OS process (engine events) or another (the file
 * store's watch), else by a slow poll.
 */
export async function* followLog(
  store: Store,
  files: FileStore,
  events: EngineEmitter,
  id: number,
  options: FollowOptions = {},
): AsyncGenerator<string> {
  let offset = options.fromByte ?? 0;
  const waiter = wakeable(options.signal);
  const offs = [
    events.on("process:log", (e) => {
      if (e.processId === id) waiter.wake();
    }),
    events.on("process:finished", (e) => {
      if (e.process.id === id) waiter.wake();
    }),
    events.on("process:deleted", (e) => {
      if (e.processId === id) waiter.wake();
    }),
  ];
  let unwatch: (() => void) | undefined;
  try {
    for (;;) {
      if (options.signal?.aborted) return;
      const row = await getProcess(store.db, id);
      if (!row) throw new ProcessNotFoundError(id);
      const ended = isFinished(row.status);
      // Watched from the first read on (the process exists): an append from now on wakes this follower.
      unwatch ??= files.logs.watch(id, waiter.wake);
      const chunk = await files.logs.read(id, offset, FOLLOW_CHUNK);
      // A step that came back nearly full may have more behind it: read on without waiting.
      const more = chunk.nextByte - offset > FOLLOW_CHUNK / 2;
      offset = chunk.nextByte;
      for (const line of chunk.text.split("\n")) if (line) yield line;
      if (ended && chunk.text === "") return;
      if (!ended && !more) await waiter.wait(options.pollMs ?? FOLLOW_FALLBACK_MS);
    }
  } finally {
    for (const off of offs) off();
    unwatch?.();
    waiter.dispose();
  }
}

/**
 * Waits until woken, ms pass or the signal aborts. A wake while nobody waits is kept for the next wait, so
 * one that came during a read is not lost.
 */
function wakeable(signal?: AbortSignal) {
  let woken = false;
  let release: (() => void) | undefined;
  const wake = () => {
    woken = true;
    release?.();
  };
  signal?.addEventListener("abort", wake);
  return {
    wake,
    wait(ms: number): Promise<void> {
      if (woken || signal?.aborted) {
        woken = false;
        return Promise.resolve();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          release = undefined;
          woken = false;
          resolve();
        }
        release = done;
      });
    },
    dispose: () => signal?.removeEventListener("abort", wake),
  };
}
