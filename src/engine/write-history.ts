/**
 * Writes to outside systems that were done, with what they produced, kept in the store for good: the same
 * write asked for again, by any later process, is found here before it is sent a second time. The first use:
 * a WorldCat create batch run twice must not make a second master record (issue 17), and a record without a
 * local identifier cannot be found reliably in WorldCat by its title alone.
 *
 * ```ts
 * const history = ctx.services.writeHistory!;
 * const done = await history.find(key);   // { result: "1500000001", processId: 12, at: "..." }
 * if (!done) await history.record(key, await create());
 * ```
 */
import { findWriteHistory, insertWriteHistory } from "../store/queries/write-history.js";
import { isoTime, type Store } from "../store/store.js";
import type { Clock } from "./clock.js";

export interface DoneWrite {
  /** What the write produced (e.g. the OCLC number assigned). */
  readonly result: string;
  /** The process that did it (null when done outside a process). */
  readonly processId: number | null;
  /** When it was recorded (ISO time). */
  readonly at: string;
}

export interface WriteHistory {
  /** The first recorded write of `key`; undefined when it was never done. */
  find(key: string): Promise<DoneWrite | undefined>;
  /** Records, durably, that `key` was written and produced `result`. */
  record(key: string, result: string): Promise<void>;
}

export function createWriteHistory(store: Store, clock: Clock, processId: number | null): WriteHistory {
  return {
    async find(key) {
      const row = await findWriteHistory(store.db, key);
      return row
        ? {
            result: row.result,
            processId: row.process_id === null ? null : Number(row.process_id),
            at: row.created_at,
          }
        : undefined;
    },
    async record(key, result) {
      await store.write((db) =>
        insertWriteHistory(db, { key, result, processId, createdAt: isoTime(clock.now()) }),
      );
    },
  };
}
