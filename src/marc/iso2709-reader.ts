/**
 * Streaming ISO 2709 (MARC 21 binary, `.mrc`) reader: constant memory, records may span chunks.
 *
 * ```ts
 * for await (const item of readIso2709(createReadStream("records.mrc"))) {
 *   item.record.get("245"); item.problems; // [] for a clean record
 * }
 * for await (const item of scanIso2709(process.stdin)) item.problems; // no records built: counting
 * ```
 */
import type { ByteSource, MarcReader, MarcScanner, ReadItem, ReadOptions, ScanItem } from "./codec.js";
import { asBuffer, parseDigits } from "./iso2709/bytes.js";
import { isCleanRecord } from "./iso2709/clean-check.js";
import { type Frame, frameRecord, skipGap } from "./iso2709/framer.js";
import { ProblemLog } from "./iso2709/problems.js";
import { parseRecord } from "./iso2709/record-parser.js";

/**
 * Reads ISO 2709 records. Permissive by default: bad lengths, directories and terminators are recovered and
 * reported in `item.problems` (record number, byte offset); `{ strict: true }` throws a MarcReadError instead.
 * MARC-8 records (Leader/09 blank) are converted to UTF-8 and get Leader/09 'a' unless `toUtf8` is false.
 */
export const readIso2709: MarcReader = async function* readIso2709(input, options: ReadOptions = {}) {
  const toUtf8 = options.toUtf8 !== false;
  const chunks = frames<ReadItem>(input, options, (buf, frame, log, recordNumber, byteOffset) => {
    const record = parseRecord(buf, frame, toUtf8, log);
    const marc8 = toUtf8 && buf[frame.start + 9] === 0x20;
    return { record, recordNumber, byteOffset, problems: log.take(), marc8 };
  });
  // One record at a time: records built a chunk ahead would outlive the young generation of the heap.
  for await (const items of chunks) for (const item of items) yield item;
};

/**
 * Frames and checks ISO 2709 records without building them: the same record numbers, offsets and problems
 * as `readIso2709`, at a fraction of the cost, the items of each chunk together (an item at a time through
 * async generators cost more than checking the record). A record the byte-level check cannot vouch for (a
 * problem while framing, a bad directory, invalid UTF-8, MARC-8) is parsed in full so its problems are the
 * reader's.
 */
export const scanIso2709: MarcScanner = async function* scanIso2709(input, options: ReadOptions = {}) {
  const toUtf8 = options.toUtf8 !== false;
  const chunks = frames<ScanItem>(input, options, (buf, frame, log, recordNumber, byteOffset) => {
    if (log.problems !== undefined || !isCleanRecord(buf, frame, toUtf8))
      parseRecord(buf, frame, toUtf8, log);
    return { recordNumber, byteOffset, problems: log.take() };
  });
  for await (const items of chunks) {
    const batch: ScanItem[] = [];
    try {
      for (const item of items) batch.push(item);
    } catch (err) {
      // Strict mode: the records before the bad one still go out first.
      if (batch.length > 0) yield batch;
      throw err;
    }
    if (batch.length > 0) yield batch;
  }
};

export type Build<T> = (
  buf: Buffer,
  frame: Frame,
  log: ProblemLog,
  recordNumber: number,
  byteOffset: number,
) => T;

/**
 * The framing loop both share: for each piece of input, the items framed in it, lazily. The caller must
 * go through each piece's items before asking for the next piece. Whole records are handled in the chunk
 * they came in; only a record cut by a chunk boundary is copied, joined with the start of the next chunk.
 */
export async function* frames<T>(
  input: ByteSource,
  options: ReadOptions,
  build: Build<T>,
): AsyncGenerator<Iterable<T>> {
  const log = new ProblemLog(options.strict === true);
  let pending: Buffer | undefined;
  /** Stream offset of index 0 of the buffer being drained. */
  let offset = 0;
  let recordNumber = 0;
  /** Where the last drain stopped: the start of the first record not complete in its buffer. */
  let stop = 0;
  function* drain(buf: Buffer, from: number, eof: boolean): Generator<T> {
    let pos = skipGap(buf, from);
    stop = pos;
    while (pos < buf.length) {
      log.reset(recordNumber + 1, offset);
      const frame = frameRecord(buf, pos, eof, log);
      if (!frame) break;
      recordNumber++;
      const item = build(buf, frame, log, recordNumber, offset + frame.start);
      pos = skipGap(buf, frame.end);
      stop = pos;
      yield item;
    }
  }
  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    let buf = asBuffer(chunk);
    let from = 0;
    if (pending) {
      const joined = Buffer.concat([pending, buf.subarray(0, joinLength(pending))]);
      yield drain(joined, 0, false);
      if (stop >= pending.length) {
        // The cut record (and maybe more) came out of the joined bytes: go on in the chunk itself.
        from = Math.min(stop - pending.length, buf.length);
        offset += pending.length;
      } else {
        // Not enough joined (a bad length, a long record): join the whole chunk.
        buf = Buffer.concat([pending.subarray(stop), buf]);
        offset += stop;
      }
      pending = undefined;
    }
    yield drain(buf, from, false);
    pending = stop < buf.length ? buf.subarray(stop) : undefined;
    offset += stop;
  }
  if (pending) yield drain(pending, 0, true);
}

/** Bytes of the next chunk to join to a cut record: the rest of its leader's length and a little more. */
function joinLength(pending: Buffer): number {
  const declared = pending.length >= 5 ? parseDigits(pending, 0, 5) : -1;
  return declared >= 24 ? Math.max(declared - pending.length, 0) + 64 : 100_000;
}
