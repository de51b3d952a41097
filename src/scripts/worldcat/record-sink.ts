/**
 * A MARC output file of a batch (records.<ext>) in INPUT order, whatever order the answers come in: the
 * handler `keep`s the record it got under the item's position, and the batch's `onReported` hook (called in
 * input order) writes it. Only items completed and not yet reported are held: at most the reorder window.
 * Writes are chained so each lands whole; `close()` waits for all of them.
 *
 * ```ts
 * const records = openRecordSink(ctx, "marcxml");
 * await runBatch(ctx, { ..., keptResults: "redo", onReported: records.reported,
 *   handle: async (item) => { records.keep(item.position, await read(item.payload)); return { outcome: "ok" }; } });
 * await records.close();
 * ```
 */
import { createWriteStream } from "node:fs";
import type { ItemResult } from "../../batch/index.js";
import type { ScriptContext } from "../../engine/script.js";
import { createWriter, type MarcFormat, type MarcRecord } from "../../marc/index.js";
import { WorldCatScriptError } from "./errors.js";
import { extensionOf } from "./formats.js";

export interface RecordSink {
  readonly name: string;
  /** The record item `position` got; written when the item is reported ok. */
  keep(position: number, record: MarcRecord): void;
  /** For the batch's `onReported`: writes the record kept for `position` when the item ended ok. */
  readonly reported: (position: number, item: unknown, result: ItemResult) => void;
  /** Waits for every write and closes the file; resolves with the number of records written. */
  close(): Promise<number>;
}

/** `all`: write the kept record whatever the outcome (a rewritten copy of the whole input), not only when ok. */
export function openRecordSink(
  ctx: ScriptContext,
  format: MarcFormat,
  options: { all?: boolean } = {},
): RecordSink {
  const name = `records.${extensionOf(format)}`;
  const writer = createWriter(format, createWriteStream(ctx.output(name, "records")));
  const kept = new Map<number, MarcRecord>();
  let chain: Promise<void> = Promise.resolve();
  let count = 0;
  let failure: unknown;
  return {
    name,
    keep(position, record) {
      kept.set(position, record);
    },
    reported(position, _item, result) {
      const record = kept.get(position);
      kept.delete(position);
      if (!record || (result.outcome !== "ok" && !options.all)) return;
      // After a failed write nothing more is written: the file never has a gap in the middle.
      chain = chain.then(async () => {
        if (failure !== undefined) return;
        try {
          await writer.write(record);
          count++;
        } catch (err) {
          failure = err;
        }
      });
    },
    async close() {
      await chain;
      await writer.close();
      if (failure !== undefined) {
        const why = failure instanceof Error ? failure.message : String(failure);
        throw new WorldCatScriptError(`${name}: ${count} record(s) written, then: ${why}`);
      }
      return count;
    },
  };
}
