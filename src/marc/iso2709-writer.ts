/**
 * ISO 2709 writer: UTF-8 (Leader/09 'a'), leader lengths, directory and terminators computed from the bytes.
 *
 * ```ts
 * const writer = createIso2709Writer(createWriteStream("out.mrc"));
 * await writer.write(record);
 * await writer.close();
 * ```
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { MarcWriter } from "./codec.js";
import { prepareRecord, writeRecord } from "./iso2709/record-encoder.js";
import type { MarcRecord } from "./record.js";

export { encodeIso2709 } from "./iso2709/record-encoder.js";
export { MarcWriteError } from "./iso2709/write-error.js";

/** Records are packed into blocks of this size before they go to the stream (fewer, larger writes). */
const BLOCK = 256 * 1024;

/**
 * A writer of ISO 2709 records to `out`. `write` throws MarcWriteError for a record that does not fit the
 * format (then nothing of it is written and the writer stays usable). `close` ends the stream.
 */
export function createIso2709Writer(out: Writable, options: { end?: boolean } = {}): MarcWriter {
  let block = Buffer.allocUnsafe(BLOCK);
  let used = 0;
  let count = 0;
  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const full = out.write(block.subarray(0, used));
    block = Buffer.allocUnsafe(BLOCK);
    used = 0;
    if (!full) await once(out, "drain");
  };
  return {
    async write(record: MarcRecord): Promise<void> {
      const prepared = prepareRecord(record, ++count);
      if (used + prepared.maxLength > block.length) {
        await flush();
        if (prepared.maxLength > block.length) block = Buffer.allocUnsafe(prepared.maxLength);
      }
      used += writeRecord(prepared, block, used, count);
    },
    async close(): Promise<void> {
      await flush();
      if (options.end === false) return;
      out.end();
      await finished(out);
    },
  };
}
