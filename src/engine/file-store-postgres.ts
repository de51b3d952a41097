/**
 * `fileStore: postgres`: process files and logs as 1 MB bytea chunks in the `file_chunks` table, so any node
 * (server or worker, each with its own data directory) reads what any other wrote. Written and read streaming:
 * a few chunks in memory at a time. A file is written in one transaction and read by binary COPY (raw bytes,
 * not bytea's hex text: src/store/postgres/copy-out.ts). A live log is appended in small chunks a few times a second, each append
 * notifying `nightshift_log` so followers on every node are woken (LISTEN, src/store/postgres/notify.ts).
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { coerceError } from "../errors.js";
import type { NotifyListener } from "../store/postgres/notify.js";
import { notify } from "../store/postgres/notify.js";
import {
  appendChunk,
  CHUNK_BYTES,
  chunkedSize,
  hasChunks,
  insertChunk,
  LOG_CHANNEL,
  readChunkRange,
} from "../store/queries/file-chunks.js";
import type { Db, Store } from "../store/store.js";
import { PRIVATE_DIR, PRIVATE_FILE } from "./data-dir.js";
import { FileMissingError } from "./errors.js";
import type { FileStore, HashedFile, HashedLog, LogSink, LogStore } from "./file-store.js";
import { lastLines, TAIL_BYTES, wholeLines } from "./file-store-directory.js";
import type { LogChunk } from "./log-reader.js";
import { generatedFileName, logPathRel, processDirRel } from "./paths.js";

export interface PostgresFileStoreOptions {
  readonly store: Store;
  readonly dataDir: string;
  /** The node's LISTEN connection; without it followers only poll. */
  readonly listener?: NotifyListener;
  /** How long appended log text waits before it is stored (default 100 ms): one insert per step. */
  readonly logFlushMs?: number;
}

export function postgresFileStore(o: PostgresFileStoreOptions): FileStore {
  const { store, dataDir } = o;
  const files: FileStore = {
    kind: "postgres" as const,
    dataDir,
    async put(db: Db, processId: number, rel: string, abs: string): Promise<HashedFile> {
      // One transaction: a file appears whole or not at all, and one commit, not one per chunk (4x the
      // server's time per chunk when each insert commits: bench/file-store.ts).
      if (!db.isTransaction) return db.transaction().execute((tx) => putChunks(tx, processId, rel, abs));
      return putChunks(db, processId, rel, abs);
    },
    sync(db, processId, rel, abs) {
      // In one transaction, as put: one commit however many chunks.
      if (!db.isTransaction) return db.transaction().execute((tx) => storeGrowth(tx, processId, rel, abs));
      return storeGrowth(db, processId, rel, abs);
    },
    async fetch(rel) {
      const target = join(dataDir, rel);
      // Written beside and renamed: a reader never sees half a file.
      const part = join(dirname(target), `.${generatedFileName("")}.part`);
      await mkdir(dirname(target), { recursive: true, mode: PRIVATE_DIR });
      try {
        await pipeline(readChunked(store.db, rel, true), createWriteStream(part, { mode: PRIVATE_FILE }));
        await rename(part, target);
      } finally {
        await rm(part, { force: true });
      }
      return target;
    },
    read: (rel) => readChunked(store.db, rel, true),
    // Most processes leave nothing here (no inputs, no outputs): a missing directory costs rm's error path.
    dropLocal: async (processId) => {
      const dir = join(dataDir, processDirRel(processId));
      if (existsSync(dir)) await rm(dir, { recursive: true, force: true });
    },
    // The chunks went with the process row (cascade); what this node kept goes now.
    remove: (processId) => rm(join(dataDir, processDirRel(processId)), { recursive: true, force: true }),
    logs: postgresLogs(o),
  };
  return Object.freeze(files);
}

/**
 * Stores the file at `abs` as chunks of `rel` on `db` (a transaction): one insert in flight while the next chunk
 * is read and hashed, so at most two chunks are in memory.
 */
async function putChunks(db: Db, processId: number, rel: string, abs: string): Promise<HashedFile> {
  const hash = createHash("sha256");
  let size = 0;
  let inflight: Promise<void> | undefined;
  const store = async (piece: Buffer) => {
    const start = size;
    size += piece.length;
    await inflight;
    inflight = insertChunk(db, processId, rel, start, piece);
    // Awaited at the next chunk or the end; a failure meanwhile must not count as unhandled.
    inflight.catch(() => undefined);
  };
  for await (const piece of chunksOf(createReadStream(abs, { highWaterMark: CHUNK_BYTES }), CHUNK_BYTES)) {
    hash.update(piece);
    await store(piece);
  }
  await inflight;
  // An empty file is one empty chunk: there, unlike a missing one.
  if (size === 0) await insertChunk(db, processId, rel, 0, Buffer.alloc(0));
  return { size, sha256: hash.digest("hex") };
}

/** Re-cuts a byte stream into `size`-byte pieces (the last one shorter), whatever the stream's own chunks. */
async function* chunksOf(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const bytes of source) {
    pending.push(bytes);
    pendingBytes += bytes.length;
    if (pendingBytes < size) continue;
    let buffer = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
    while (buffer.length >= size) {
      yield buffer.subarray(0, size);
      buffer = buffer.subarray(size);
    }
    pending = buffer.length ? [buffer] : [];
    pendingBytes = buffer.length;
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

/**
 * Stores the bytes of the local file `abs` past those already stored at `rel` (a file only ever appended to),
 * up to its size when called: bytes appended meanwhile wait for the next call. Returns the size stored.
 */
async function storeGrowth(db: Db, processId: number, rel: string, abs: string): Promise<number> {
  let at = await chunkedSize(db, rel);
  const size = (await stat(abs)).size;
  if (size < at)
    throw new Error(`${rel}: the local file is shorter (${size} bytes) than what is stored (${at})`);
  if (size === at) return at;
  // Each piece at most CHUNK_BYTES: a reader's "one chunk before fromByte" rule holds.
  const stream = createReadStream(abs, { start: at, end: size - 1, highWaterMark: CHUNK_BYTES });
  for await (const piece of stream) {
    await insertChunk(db, processId, rel, at, piece as Buffer);
    at += (piece as Buffer).length;
  }
  return at;
}

/**
 * Bytes asked for per query: 4 MB (plus at most one chunk) in memory, a round trip per 4 MB. 8 MB a query, or
 * asking for the next 4 while these are consumed, measured no faster (bench/file-store.ts).
 */
const READ_BYTES = 4 * CHUNK_BYTES;

/** A file's bytes from `from` on as a stream; a file with no chunk is an error when `required`. */
function readChunked(db: Db, rel: string, required: boolean, from = 0): Readable {
  async function* chunks() {
    let at = from;
    for (;;) {
      const end = at + READ_BYTES;
      const batch = await readChunkRange(db, rel, at, end);
      if (batch.length === 0) {
        if (at === 0 && required && !(await hasChunks(db, rel))) throw new FileMissingError(rel);
        return;
      }
      for (const chunk of batch) {
        if (chunk.start > at) throw new Error(`${rel}: bytes ${at} to ${chunk.start} are missing`);
        const data = chunk.data.subarray(at - chunk.start);
        at += data.length;
        yield data;
      }
      // The file ends before what was asked for (as stored when asked: a report synced at checkpoints grows).
      if (at < end) return;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

function postgresLogs(o: PostgresFileStoreOptions): LogStore {
  const { store } = o;
  return {
    open: (processId, onError) => openSink(o, processId, onError),
    async read(processId, fromByte, maxBytes): Promise<LogChunk> {
      const parts: Buffer[] = [];
      let got = 0;
      let at = fromByte;
      // Up to maxBytes, READ_BYTES a query (a follow reads 1 MB steps; readLog without a limit reads it all).
      while (got < maxBytes) {
        const end = at + Math.min(maxBytes - got, READ_BYTES);
        for (const c of await readChunkRange(store.db, logPathRel(processId), at, end)) {
          const data = c.data.subarray(at - c.start, Math.min(c.data.length, end - c.start));
          parts.push(data);
          got += data.length;
          at += data.length;
        }
        if (at < end) break;
      }
      if (got === 0) return { text: "", nextByte: fromByte };
      return wholeLines(Buffer.concat(parts, got), fromByte, maxBytes);
    },
    async hash(processId, db = store.db): Promise<HashedLog | undefined> {
      const rel = logPathRel(processId);
      const hash = createHash("sha256");
      let size = 0;
      for await (const chunk of readChunked(db, rel, false)) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      return size === 0 ? undefined : { path: rel, size, sha256: hash.digest("hex") };
    },
    async tail(processId, n) {
      const rel = logPathRel(processId);
      const size = await chunkedSize(store.db, rel);
      const from = Math.max(0, size - TAIL_BYTES);
      const parts: Buffer[] = [];
      for await (const chunk of readChunked(store.db, rel, false, from)) parts.push(chunk);
      return lastLines(Buffer.concat(parts), from > 0, n);
    },
    watch(processId, wake) {
      if (!o.listener) return () => undefined;
      const id = String(processId);
      // undefined: notifications may have been missed (the connection was re-opened).
      return o.listener.subscribe(LOG_CHANNEL, (payload) => {
        if (payload === undefined || payload === id) wake();
      });
    },
    ended: (processId) => notify(store.db, LOG_CHANNEL, String(processId)),
  };
}

/**
 * A live log's sink: text is kept in memory and stored every `logFlushMs` (or at once past 256 KB), one
 * append per step, in order. A failed append is kept and tried again at the next step (the database may be
 * restarting); settled() waits for the last one.
 */
function openSink(o: PostgresFileStoreOptions, processId: number, onError: (err: Error) => void): LogSink {
  const rel = logPathRel(processId);
  const flushMs = o.logFlushMs ?? 100;
  let buffered: string[] = [];
  let bufferedBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  let failures = 0;
  // What this sink stored, hashed as it goes: the whole log as long as every append landed where the last
  // one ended, from byte 0 (a re-run appends to an earlier run's log; a recovery may append a line between).
  const hash = createHash("sha256");
  let stored = 0;
  let whole = true;

  const store = async (text: Buffer) => {
    for (let at = 0; at < text.length; at += CHUNK_BYTES) {
      const piece = text.subarray(at, at + CHUNK_BYTES);
      for (let attempt = 1; ; attempt++) {
        try {
          const start = await appendChunk(o.store.db, processId, rel, piece);
          if (start !== stored) whole = false;
          if (whole) hash.update(piece);
          stored = start + piece.length;
          failures = 0;
          break;
        } catch (err) {
          // Two appenders at once (a recovery's last line) collide on the key: go again at the new end.
          if (attempt < 5 && (err as { code?: string }).code === "23505") continue;
          throw err;
        }
      }
    }
  };
  const flush = () => {
    timer = undefined;
    if (bufferedBytes === 0) return chain;
    const text = Buffer.from(buffered.join(""));
    buffered = [];
    bufferedBytes = 0;
    chain = chain.then(() =>
      store(text).catch((err: unknown) => {
        failures++;
        onError(coerceError(err));
        // Kept for the next step, in front of what came meanwhile; given up after a few (never unbounded).
        if (failures < 5) {
          buffered.unshift(text.toString("utf8"));
          bufferedBytes += text.length;
          timer ??= setTimeout(flush, flushMs * 10);
        }
      }),
    );
    return chain;
  };
  return {
    append(text) {
      if (closed) return;
      buffered.push(text);
      bufferedBytes += Buffer.byteLength(text);
      if (bufferedBytes >= 256 * 1024) {
        clearTimeout(timer);
        void flush();
      } else timer ??= setTimeout(flush, flushMs);
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      void flush();
    },
    async settled() {
      clearTimeout(timer);
      await flush();
      // A failed step re-armed a retry: wait for it while it may still succeed.
      while (bufferedBytes > 0 && failures > 0 && failures < 5) {
        await new Promise((resolve) => setTimeout(resolve, flushMs * 10));
        await flush();
      }
    },
    hashed() {
      if (!whole || stored === 0 || bufferedBytes > 0) return undefined;
      return { path: rel, size: stored, sha256: hash.copy().digest("hex") };
    },
  };
}
