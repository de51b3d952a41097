/**
 * A batch source: a streaming reader of entries in input order, an optional cheap count, and the format of
 * the failures file (the same format as the input, so it can be run again as is).
 */
import type { SourceEntry } from "./item.js";

export interface BatchSource<P, R> {
  /** `text`, `csv`, `marc`: for logs and the summary. */
  readonly format: string;
  /** Entries in input order, positions 1, 2, 3, ...; read lazily (the runner pulls only when it has room). */
  entries(): AsyncIterable<SourceEntry<P, R>>;
  /** Number of entries when it is cheap to know (a byte scan); undefined when unknown. */
  count?(): Promise<number | undefined>;
  readonly failures: FailuresFormat<R>;
}

/** How failed items are written back in the input's format. */
export interface FailuresFormat<R> {
  /** File extension without the dot: `txt`, `csv`, `mrc`, `xml`, ... */
  readonly extension: string;
  open(path: string): FailuresSink<R>;
}

/** Writes entries' raw form in order. `write` queues (never blocks the runner); `close` waits for everything. */
export interface FailuresSink<R> {
  write(raw: R): void;
  close(): Promise<void>;
}
