/**
 * ISO 2709 writer: UTF-8 (Leader/09 'a'), leader lengths, directory and terminators computed from the bytes.
 *
 * ```ts
 * const writer = createIso2709Writer(createWriteStream("out.mrc"));
 * await writer.write(record);
 * await writer.close();
 * ```
 */
import type { Writable } from "node:stream";
import { BlockOutput } from "./block-output.js";
import type { MarcWriter } from "./codec.js";
import { prepareRecord, writeRecord } from "./iso2709/record-encoder.js";
import type { MarcRecord } from "./record.js";

export { encodeIso2709 } from "./iso2709/record-encoder.js";
export { MarcWriteError } from "./iso2709/write-error.js";

/**
 * A writer of ISO 2709 records to `out`. `write` throws MarcWriteError for a record that does not fit the
 * format (then nothing of it is written and the writer stays usable). `close` ends the stream.
 */
export function createIso2709Writer(out: Writable, options: { end?: boolean } = {}): MarcWriter {
  const output = new BlockOutput(out);
  let count = 0;
  return {
    async write(record: MarcRecord): Promise<void> {
      const prepared = prepareRecord(record, ++count);
      output.reserve(prepared.maxLength);
      output.used += writeRecord(prepared, output.block, output.used, count);
      await output.flushFull();
    },
    async writeEncoded(bytes: Uint8Array): Promise<void> {
      count++;
      output.bytes(bytes);
      await output.flushFull();
    },
    close: () => output.close(options.end !== false),
  };
}
