import type { ProcessRow } from "../store/schema.js";
import type { Db } from "../store/store.js";

/** How a process came to its end, for those who act on it in the same transaction. */
export interface ProcessEnding {
  /** The row as it ended (COMPLETED, FAILED or CANCELLED). */
  readonly row: ProcessRow;
  /** True when the worker that ran it (or held its secret values) died: recovery ended it. */
  readonly lost: boolean;
}

/**
 * Work done inside the very transaction that ends a process (the notification outbox): it commits with the
 * end or not at all. It must only write to the database it is given.
 */
export type FinishHook = (db: Db, ending: ProcessEnding) => Promise<void>;
