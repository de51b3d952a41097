/** What a batch is run with, and its defaults. */
import type { ScriptContext } from "../engine/script.js";
import { defaultClassifyError, defaultIsThrottle, defaultThrottleBackoff } from "./classify.js";
import type { Handler, ItemResult, ReportedItem } from "./item.js";
import type { BatchSource } from "./source.js";

/** The part of a script's context the batch engine uses. */
export type BatchContext = Pick<ScriptContext, "log" | "progress" | "output" | "signal" | "checkpoint">;

/** A rate limit shared by every call of an account (the WorldCat transport's token bucket fits). */
export interface Permits {
  acquire(signal?: AbortSignal): Promise<void>;
}

export interface BatchOptions<P, R> {
  readonly source: BatchSource<P, R>;
  readonly handle: Handler<P, R>;
  /** Most items in flight at once; default 8. Halves on throttling and recovers (AIMD). */
  readonly concurrency?: number;
  /** Waited on before every handler call (including retries after throttling). */
  readonly permits?: Permits;
  readonly dryRun?: boolean;
  /** Process id to resume (`--resume`): its reported rows are copied and its items not redone. */
  readonly resumeFrom?: number;
  /**
   * Called synchronously for every item this run reports, in input order, right after its report row (not
   * for rows copied from a resumed run's report). For outputs that must follow the input's order (fetched
   * records): the handler keeps what it got by position, this writes it. It must not throw (an error stops
   * the batch and is rethrown at its end).
   */
  readonly onReported?: (position: number, item: ReportedItem<R>, result: ItemResult) => void;
  /**
   * A resumed run and the results its predecessor completed without reporting them (out of order, at most a
   * window's worth): `report` them as they are (default), or `redo` them (the handler is called again, with
   * `maybeAttempted`) when `onReported` needs what only the handler had in memory, such as a fetched record.
   */
  readonly keptResults?: "report" | "redo";
  /** Facts the script adds to summary.json (e.g. the service account and the institution acted for). */
  readonly summaryExtra?: Readonly<Record<string, unknown>>;
  /**
   * `flag`: an OCLC number the input already named is reported `skipped`, `DUPLICATE`, "duplicate of line 4",
   * and not handled again (holdings, fetches: the second would only repeat the first). `allow` (default):
   * every entry is an item (an LHR per row may name one record many times).
   */
  readonly duplicates?: "flag" | "allow";
  /** The report's action column when a handler's result names none. */
  readonly action?: string;
  /** Most positions between the first unreported item and the last started one; default max(32, 8 × concurrency). */
  readonly reorderWindow?: number;
  /** Save a checkpoint after this many reported items (default 1000) or this many ms (default 5000). */
  readonly checkpointEvery?: number;
  readonly checkpointIntervalMs?: number;
  /** `ctx.progress` at most this often (default 1000 ms); a log line with the ETA this often (default 5 s). */
  readonly progressIntervalMs?: number;
  readonly etaLogIntervalMs?: number;
  /** A throttled item is retried this many times (default 10) before it fails. */
  readonly maxThrottleRetries?: number;
  readonly classifyError?: (err: unknown) => ItemResult;
  readonly isThrottle?: (err: unknown) => boolean;
  readonly throttleBackoffMs?: (retry: number, err: unknown) => number;
  readonly now?: () => number;
  /** Waits ms; rejects when the signal aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

type OptionalOnes = "permits" | "resumeFrom" | "onReported" | "summaryExtra";

export type ResolvedOptions<P, R> = Required<Omit<BatchOptions<P, R>, OptionalOnes>> &
  Pick<BatchOptions<P, R>, OptionalOnes>;

export function resolveOptions<P, R>(o: BatchOptions<P, R>): ResolvedOptions<P, R> {
  const concurrency = o.concurrency ?? 8;
  if (!(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new RangeError(`concurrency must be a positive integer (got ${concurrency})`);
  }
  const reorderWindow = Math.max(concurrency, o.reorderWindow ?? Math.max(32, 8 * concurrency));
  return {
    ...o,
    concurrency,
    dryRun: o.dryRun ?? false,
    action: o.action ?? "",
    keptResults: o.keptResults ?? "report",
    duplicates: o.duplicates ?? "allow",
    reorderWindow,
    checkpointEvery: o.checkpointEvery ?? 1000,
    checkpointIntervalMs: o.checkpointIntervalMs ?? 5000,
    progressIntervalMs: o.progressIntervalMs ?? 1000,
    etaLogIntervalMs: o.etaLogIntervalMs ?? 5000,
    maxThrottleRetries: o.maxThrottleRetries ?? 10,
    classifyError: o.classifyError ?? defaultClassifyError,
    isThrottle: o.isThrottle ?? defaultIsThrottle,
    throttleBackoffMs: o.throttleBackoffMs ?? defaultThrottleBackoff,
    now: o.now ?? Date.now,
    sleep: o.sleep ?? abortableSleep,
  };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
