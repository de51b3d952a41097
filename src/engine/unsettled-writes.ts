/**
 * Writes to outside systems whose outcome is not known yet, kept in the store so that they outlive the
 * process that sent them. A script records a write before sending it and settles it once the outcome is
 * known; a write left unsettled (a crash, a timeout, a cancel mid-request) tells every later process that
 * writes the same thing (the same key) to look before writing: a re-run of a failures file, another input
 * file with the same record, a process started days later.
 *
 * ```ts
 * const writes = ctx.services.unsettledWrites!;
 * const key = `worldcat:128807:create-bib:${digest}`;
 * const lookFirst = (await writes.find(key)) !== undefined;
 * await writes.begin(key);     // committed before the request goes out
 * const ocn = await create();  // a crash here leaves the write unsettled
 * await writes.settle(key);    // the record exists (or is known not to): forget every attempt at it
 * ```
 */
import {
  deleteUnsettledWrites,
  findUnsettledWrite,
  insertUnsettledWrite,
} from "../store/queries/unsettled-writes.js";
import { isoTime, type Store } from "../store/store.js";
import type { Clock } from "./clock.js";

/** An earlier write of a key whose outcome nobody knows. */
export interface UnsettledWrite {
  /** The process that was sending it (null when recorded outside a process). */
  readonly processId: number | null;
  /** When it was about to be sent (ISO time). */
  readonly at: string;
}

export interface UnsettledWrites {
  /** The oldest unsettled write of `key`, by any process; undefined when there is none. */
  find(key: string): Promise<UnsettledWrite | undefined>;
  /** Records, durably, that a write of `key` is about to be sent. */
  begin(key: string): Promise<void>;
  /** What `key` writes is known to be done, or known not to be: forgets every write of it. */
  settle(key: string): Promise<void>;
}

export function createUnsettledWrites(store: Store, clock: Clock, processId: number | null): UnsettledWrites {
  return {
    async find(key) {
      const row = await findUnsettledWrite(store.db, key);
      return row
        ? { processId: row.process_id === null ? null : Number(row.process_id), at: row.created_at }
        : undefined;
    },
    async begin(key) {
      await store.write((db) =>
        insertUnsettledWrite(db, { key, processId, createdAt: isoTime(clock.now()) }),
      );
    },
    async settle(key) {
      await store.write((db) => deleteUnsettledWrites(db, key));
    },
  };
}
