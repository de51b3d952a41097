/**
 * Where process files (uploads, reports, failures files, summaries, outputs) and logs live: the data directory
 * (`fileStore: directory`, the default on SQLite: every node that serves or runs a process must see one
 * directory) or PostgreSQL (`fileStore: postgres`, the default on PostgreSQL: nodes share nothing but the
 * database). Paths are the ones `process_files.path` holds (`processes/<id>/files/<random>.<ext>`, the log
 * `processes/<id>/process.log`) whichever the store.
 *
 * Scripts always read and write local files: with the postgres store the data directory is a node's working
 * copy (inputs fetched before a run, outputs stored when it ends, then the copy is dropped).
 */
import type { Readable } from "node:stream";
import type { Db } from "../store/store.js";
import type { LogChunk } from "./log-reader.js";

export type FileStoreKind = "directory" | "postgres";

export interface HashedFile {
  readonly size: number;
  readonly sha256: string;
}

export interface HashedLog extends HashedFile {
  readonly path: string;
}

/** Where the writer of a live log puts its text. */
export interface LogSink {
  append(text: string): void;
  /** No more text; what was appended is still being stored until `settled()` resolves. */
  close(): void;
  /** Resolves when everything appended so far is stored (and readable by any node). */
  settled(): Promise<void>;
  /**
   * After settled(): the whole log's size and SHA-256 when this sink stored all of it (nothing was there
   * before, nobody appended between), so the log need not be read back to be hashed; else undefined.
   */
  hashed?(): HashedLog | undefined;
}

export interface FileStore {
  readonly kind: FileStoreKind;
  readonly dataDir: string;
  /**
   * Keeps the local file `abs` as the process file at `rel`, streamed, and returns its size and SHA-256.
   * `db`: the transaction it belongs to (a create stores its uploads with the process row).
   */
  put(db: Db, processId: number, rel: string, abs: string): Promise<HashedFile>;
  /**
   * Makes what was written so far to the local file `abs` (an output still being written, only ever appended
   * to) readable by every node as the process file `rel` (`read(rel)`), inside the transaction `db` (a
   * checkpoint saved with it; else one of its own); returns the size readable now. PostgreSQL: the bytes past those an earlier
   * call stored are added as chunks, streamed. A directory: nothing to store, every node reads the file as it
   * is written. The finished file is recorded by `sync` then, never by `put` (which writes it from byte 0).
   */
  sync(db: Db, processId: number, rel: string, abs: string): Promise<number>;
  /** A local path holding the file's bytes (fetched into the data directory when they live in PostgreSQL). */
  fetch(rel: string): Promise<string>;
  /** The file's bytes, streamed (one chunk in memory at a time). */
  read(rel: string): Readable;
  /** Drops this node's working copy of a process's files (postgres; nothing for a directory). */
  dropLocal(processId: number): Promise<void>;
  /** Deletes a process's files and log; its row is already gone. */
  remove(processId: number): Promise<void>;
  readonly logs: LogStore;
}

export interface LogStore {
  /** Opens a process's log for appending (a run appends to what an earlier run of it left). */
  open(processId: number, onError: (err: Error) => void): LogSink;
  /** The log from `fromByte`: whole lines, at most `maxBytes` unless one line alone is longer. */
  read(processId: number, fromByte: number, maxBytes: number): Promise<LogChunk>;
  /** Size and SHA-256 of the log (undefined when it has none). `db`: read inside that transaction. */
  hash(processId: number, db?: Db): Promise<HashedLog | undefined>;
  /** The last `n` lines. */
  tail(processId: number, n: number): Promise<string[]>;
  /**
   * Calls `wake` when the log may have grown or its process ended, written by any OS process (a directory
   * watch, or PostgreSQL LISTEN). Returns the function that stops watching. Best effort: followers poll too.
   */
  watch(processId: number, wake: () => void): () => void;
  /** Tells watchers on every node that a process ended (after the transaction that ended it). */
  ended(processId: number): Promise<void>;
}
