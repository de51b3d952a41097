import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import { getProcess } from "../store/queries/get-process.js";
import type { Store } from "../store/store.js";
import { ProcessNotFoundError } from "./errors.js";
import { logPathRel } from "./paths.js";
import { isFinished } from "./process-record.js";

export interface LogChunk {
  readonly text: string;
  /** Where the next read should start (bytes). */
  readonly nextByte: number;
}

/**
 * Reads a process's log from a byte offset (the whole log by default, else whole lines up to `maxBytes`);
 * readable while it runs.
 */
export async function readLog(
  store: Store,
  dataDir: string,
  id: number,
  fromByte = 0,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<LogChunk> {
  if (!(await getProcess(store.db, id))) throw new ProcessNotFoundError(id);
  return readFrom(join(dataDir, logPathRel(id)), fromByte, maxBytes);
}

/** How much a follow reads at once: a long log is followed in steps, not loaded whole. */
const FOLLOW_CHUNK = 1024 * 1024;

async function readFrom(
  file: string,
  fromByte: number,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<LogChunk> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size <= fromByte) return { text: "", nextByte: fromByte };
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(Math.min(size - fromByte, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, fromByte);
    // Only whole lines: a line being written stays for the next read (unless it alone fills a step).
    let end = buffer.lastIndexOf(10, bytesRead - 1) + 1;
    if (end === 0 && bytesRead === maxBytes) end = bytesRead;
    return { text: buffer.subarray(0, end).toString("utf8"), nextByte: fromByte + end };
  } finally {
    await handle.close();
  }
}

export interface FollowOptions {
  readonly fromByte?: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

/** Yields log lines as they are written, until the process has ended and its log is read to the end. */
export async function* followLog(
  store: Store,
  dataDir: string,
  id: number,
  options: FollowOptions = {},
): AsyncGenerator<string> {
  const file = join(dataDir, logPathRel(id));
  let offset = options.fromByte ?? 0;
  for (;;) {
    if (options.signal?.aborted) return;
    const row = await getProcess(store.db, id);
    if (!row) throw new ProcessNotFoundError(id);
    const ended = isFinished(row.status);
    const chunk = await readFrom(file, offset, FOLLOW_CHUNK);
    // A step that came back nearly full may have more behind it: read on without waiting.
    const more = chunk.nextByte - offset > FOLLOW_CHUNK / 2;
    offset = chunk.nextByte;
    for (const line of chunk.text.split("\n")) if (line) yield line;
    if (ended && chunk.text === "") return;
    if (!ended && !more) await sleep(options.pollMs ?? 200, options.signal);
  }
}

/** Waits ms or until the signal aborts; removes its listener either way (a follow polls for hours). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
