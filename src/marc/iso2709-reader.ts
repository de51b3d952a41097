/**
 * Streaming ISO 2709 (MARC 21 binary, `.mrc`) reader: constant memory, records may span chunks.
 *
 * ```ts
 * for await (const item of readIso2709(createReadStream("records.mrc"))) {
 *   item.record.get("245"); item.problems; // [] for a clean record
 * }
 * ```
 */
import type { MarcReader, ReadItem, ReadOptions } from "./codec.js";
import { asBuffer } from "./iso2709/bytes.js";
import { frameRecord, skipGap } from "./iso2709/framer.js";
import { ProblemLog } from "./iso2709/problems.js";
import { parseRecord } from "./iso2709/record-parser.js";

/**
 * Reads ISO 2709 records. Permissive by default: bad lengths, directories and terminators are recovered and
 * reported in `item.problems` (record number, byte offset); `{ strict: true }` throws a MarcReadError instead.
 * MARC-8 records (Leader/09 blank) are converted to UTF-8 and get Leader/09 'a' unless `toUtf8` is false.
 */
export const readIso2709: MarcReader = async function* readIso2709(input, options: ReadOptions = {}) {
  const log = new ProblemLog(options.strict === true);
  const toUtf8 = options.toUtf8 !== false;
  let pending: Buffer | undefined;
  let pendingOffset = 0;
  let recordNumber = 0;
  const drain = function* (buf: Buffer, eof: boolean): Generator<ReadItem, number> {
    let pos = skipGap(buf, 0);
    while (pos < buf.length) {
      log.reset(recordNumber + 1, pendingOffset);
      const frame = frameRecord(buf, pos, eof, log);
      if (!frame) break;
      recordNumber++;
      const record = parseRecord(buf, frame, toUtf8, log);
      yield { record, recordNumber, byteOffset: pendingOffset + frame.start, problems: log.take() };
      pos = skipGap(buf, frame.end);
    }
    return pos;
  };
  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    const buf = pending ? Buffer.concat([pending, asBuffer(chunk)]) : asBuffer(chunk);
    const pos = yield* drain(buf, false);
    pending = pos < buf.length ? buf.subarray(pos) : undefined;
    pendingOffset += pos;
  }
  if (pending) yield* drain(pending, true);
};
