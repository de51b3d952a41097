/** The shape every MARC reader and writer shares, whatever the format. */
import type { MarcRecord } from "./record.js";

export type MarcFormat = "iso2709" | "marcxml" | "json" | "mrk";

/** A problem found while reading, with where it is: record number (1-based) and byte offset when known. */
export interface ReadProblem {
  readonly severity: "warning" | "error";
  readonly recordNumber: number;
  readonly byteOffset?: number;
  readonly tag?: string;
  readonly message: string;
}

/** One record as seen by a scan (counting): where it was and what was wrong with it, no record built. */
export interface ScanItem {
  readonly recordNumber: number;
  readonly byteOffset?: number;
  readonly problems: readonly ReadProblem[];
}

/** One record as read: the record (possibly recovered), where it was, and what was wrong with it. */
export interface ReadItem extends ScanItem {
  readonly record: MarcRecord;
  /** True when the record was MARC-8 (Leader/09 blank) and was converted to UTF-8 while read. */
  readonly marc8?: boolean;
}

export interface ReadOptions {
  /** Strict: the first problem throws a MarcReadError. Permissive (default): recover, report, go on. */
  readonly strict?: boolean;
  /** ISO 2709 only: convert MARC-8 (Leader/09 ' ') to UTF-8 and set Leader/09 'a'. Default true. */
  readonly toUtf8?: boolean;
}

/** Input of a reader: a Node readable stream or any async iterable of byte chunks. */
export type ByteSource = AsyncIterable<Uint8Array>;

export type MarcReader = (input: ByteSource, options?: ReadOptions) => AsyncIterable<ReadItem>;

/** What a count saw in one piece of input: how many records, and those with problems, in order. */
export interface CountBatch {
  readonly records: number;
  readonly flagged: readonly ScanItem[];
}

/**
 * Like a MarcReader, for when only the count and the problems (with their places) are wanted (see
 * `countSource`): no record is handed out.
 */
export type MarcCounter = (input: ByteSource, options?: ReadOptions) => AsyncIterable<CountBatch>;

/**
 * One record already in the output format, as a converter made it straight from the input bytes (see
 * `openConverter` in io.ts): `encoded` holds exactly the bytes `write(record)` would have written, and is
 * valid only until the next item is asked for.
 */
export interface EncodedItem extends ScanItem {
  readonly encoded: Uint8Array;
}

/** What a converter hands out: records it could encode itself, and records read in full. */
export type ConvertItem = ReadItem | EncodedItem;

/** Writers share `write(record)` / `close()`. Output goes to a Node writable stream. */
export interface MarcWriter {
  write(record: MarcRecord): Promise<void>;
  /** Writes one record given as its encoded bytes (an EncodedItem's); only writers a converter targets. */
  writeEncoded?(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export class MarcReadError extends Error {
  constructor(readonly problem: ReadProblem) {
    super(
      `record ${problem.recordNumber}${problem.byteOffset !== undefined ? ` (byte ${problem.byteOffset})` : ""}` +
        `${problem.tag ? `, field ${problem.tag}` : ""}: ${problem.message}`,
    );
    this.name = "MarcReadError";
  }
}
