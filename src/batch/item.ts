/**
 * What flows through a batch: entries read from a source, the items a handler sees, and the result each
 * item ends with.
 *
 * ```ts
 * const r: ItemResult = { outcome: "ok", action: "set", requested: "123", current: "456" };
 * ```
 */

/** How an item ended. Every item of the input ends in exactly one of these. */
export type Outcome = "ok" | "skipped" | "failed" | "unknown";

export const OUTCOMES: readonly Outcome[] = ["ok", "skipped", "failed", "unknown"];

/** One report row's worth of result, returned by a handler (or made by the runner from an error). */
export interface ItemResult {
  readonly outcome: Outcome;
  /** What was done or tried (`set`, `create`, `validate`, ...); the batch's default action when absent. */
  readonly action?: string;
  /** OCLC's error code (`WS-404`, `CAT-OTHER`, ...) or a Nightshift code (`INVALID_INPUT`). */
  readonly oclcCode?: string;
  readonly message?: string;
  /** The OCLC number the input asked for; the entry's number when absent. */
  readonly requested?: string;
  /** The current OCLC number (differs from `requested` for merged records). */
  readonly current?: string;
}

interface EntryBase<R> {
  /** 1-based position of the item among the input's items (blank lines and comments are not items). */
  readonly position: number;
  /** Its line (text, CSV: blank lines and comments counted) or record number (MARC) in the input file. */
  readonly line?: number;
  /** What the user gave, as written (a number as typed, a CSV cell, a record's 001). */
  readonly inputId: string;
  /** The item as read, written back into the failures file when the item fails. */
  readonly raw: R;
  /** The normalised OCLC number the input names, when it names one. */
  readonly oclcNumber?: string;
}

/**
 * One entry of a source: either a payload for the handler, or a reason why the input cannot be processed
 * (the runner fails those itself, with the line or record number in the message, without calling the handler).
 */
export type SourceEntry<P, R> =
  | (EntryBase<R> & { readonly payload: P; readonly invalid?: undefined })
  | (EntryBase<R> & { readonly invalid: string; readonly payload?: undefined });

/** What `onReported` is told about a reported item (besides its position and result). */
export type ReportedItem<R> = Pick<EntryBase<R>, "inputId" | "oclcNumber" | "raw" | "line">;

/** What a handler receives. */
export interface BatchItem<P, R = unknown> extends EntryBase<R> {
  readonly payload: P;
  /**
   * True when an earlier run of this batch may already have attempted this item (it was in flight when that
   * process stopped or died). A handler whose action is not idempotent must check before writing: e.g.
   * look whether a create already happened. See src/batch/README.md.
   */
  readonly maybeAttempted: boolean;
}

/** Per-call environment of a handler. */
export interface HandlerEnv {
  /** Do everything except the writes. */
  readonly dryRun: boolean;
  /** Aborted on cancel and shutdown; a handler may finish its item or give up (the item is then redone on resume). */
  readonly signal: AbortSignal;
  /** Tell the batch the service is throttling (HTTP 429) even though the call succeeded after retries. */
  throttled(): void;
}

export type Handler<P, R> = (item: BatchItem<P, R>, env: HandlerEnv) => Promise<ItemResult>;

/** True for outcomes that go into the failures file. */
export function isFailure(outcome: Outcome): boolean {
  return outcome === "failed" || outcome === "unknown";
}
