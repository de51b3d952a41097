/**
 * Streaming ISO 2709 (MARC 21 binary, `.mrc`) reader: constant memory, records may span chunks.
 *
 * ```ts
 * for await (const item of readIso2709(createReadStream("records.mrc"))) {
 *   item.record.get("245"); item.problems; // [] for a clean record
 * }
 * for await (const tally of countIso2709(process.stdin)) tally.records; // no records built: counting
 * ```
 */
import { isUtf8 } from "node:buffer";
import type {
  ByteSource,
  CountBatch,
  MarcCounter,
  MarcReader,
  ReadItem,
  ReadOptions,
  ScanItem,
} from "./codec.js";
import { asBuffer, parseDigits, RT } from "./iso2709/bytes.js";
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
 * Counts ISO 2709 records without building them: the same record numbers, offsets and problems as
 * `readIso2709`, at a fraction of the cost. Per piece of input it hands out how many records it held and the
 * records with problems; a clean record costs no allocation. A record the byte-level check cannot vouch for
 * (a problem while framing, a bad directory, invalid UTF-8, MARC-8) is parsed in full so its problems are
 * the reader's. In strict mode the first problem throws after the earlier pieces went out.
 */
export const countIso2709: MarcCounter = function countIso2709(input, options: ReadOptions = {}) {
  const toUtf8 = options.toUtf8 !== false;
  return pieces<CountBatch>(input, new Cursor(options), (buf, from, eof, at) => {
    const { log } = at;
    let pos = skipGap(buf, from);
    at.stop = pos;
    let records = 0;
    const flagged: ScanItem[] = [];
    // One UTF-8 check for the piece up to its last record terminator (a terminator is ASCII, so every
    // record ending there is valid UTF-8 when the whole is) instead of one per record.
    const last = buf.lastIndexOf(RT);
    const utf8Until = last >= pos && isUtf8(buf.subarray(pos, last + 1)) ? last + 1 : -1;
    while (pos < buf.length) {
      log.reset(at.recordNumber + 1, at.offset);
      const frame = frameRecord(buf, pos, eof, log);
      if (!frame) break;
      at.recordNumber++;
      records++;
      if (log.problems !== undefined || !isCleanRecord(buf, frame, toUtf8, frame.end <= utf8Until))
        parseRecord(buf, frame, toUtf8, log);
      if (log.problems !== undefined)
        flagged.push({
          recordNumber: at.recordNumber,
          byteOffset: at.offset + frame.start,
          problems: log.take(),
        });
      pos = skipGap(buf, frame.end);
      at.stop = pos;
    }
    return { records, flagged };
  });
};

export type Build<T> = (
  buf: Buffer,
  frame: Frame,
  log: ProblemLog,
  recordNumber: number,
  byteOffset: number,
) => T;

/** Where framing stands in the input; each drain moves it on. */
class Cursor {
  readonly log: ProblemLog;
  /** Stream offset of index 0 of the buffer being drained. */
  offset = 0;
  recordNumber = 0;
  /** Where the last drain stopped: the start of the first record not complete in its buffer. */
  stop = 0;

  constructor(options: ReadOptions) {
    this.log = new ProblemLog(options.strict === true);
  }
}

/**
 * Frames the records of `buf` from `from` on (all of them when `eof`), moving `at` past each: what the
 * drain makes of them comes out for the piece.
 */
type Drain<T> = (buf: Buffer, from: number, eof: boolean, at: Cursor) => T;

/**
 * The framing loop the reader, the counter and the converter share: for each piece of input, the items
 * framed in it, lazily. The caller must go through each piece's items before asking for the next piece.
 * Whole records are handled in the chunk they came in; only a record cut by a chunk boundary is copied,
 * joined with the start of the next chunk.
 */
export function frames<T>(
  input: ByteSource,
  options: ReadOptions,
  build: Build<T>,
): AsyncGenerator<Iterable<T>> {
  return pieces(input, new Cursor(options), function* drain(buf, from, eof, at): Generator<T> {
    const { log } = at;
    let pos = skipGap(buf, from);
    at.stop = pos;
    while (pos < buf.length) {
      log.reset(at.recordNumber + 1, at.offset);
      const frame = frameRecord(buf, pos, eof, log);
      if (!frame) break;
      at.recordNumber++;
      const item = build(buf, frame, log, at.recordNumber, at.offset + frame.start);
      pos = skipGap(buf, frame.end);
      at.stop = pos;
      yield item;
    }
  });
}

/** Drains each piece of input with `drain`: whole records in their chunk, a record cut by a boundary joined. */
async function* pieces<T>(input: ByteSource, at: Cursor, drain: Drain<T>): AsyncGenerator<T> {
  let pending: Buffer | undefined;
  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    let buf = asBuffer(chunk);
    let from = 0;
    if (pending) {
      const joined = Buffer.concat([pending, buf.subarray(0, joinLength(pending))]);
      yield drain(joined, 0, false, at);
      if (at.stop >= pending.length) {
        // The cut record (and maybe more) came out of the joined bytes: go on in the chunk itself.
        from = Math.min(at.stop - pending.length, buf.length);
        at.offset += pending.length;
      } else {
        // Not enough joined (a bad length, a long record): join the whole chunk.
        buf = Buffer.concat([pending.subarray(at.stop), buf]);
        at.offset += at.stop;
      }
      pending = undefined;
    }
    yield drain(buf, from, false, at);
    pending = at.stop < buf.length ? buf.subarray(at.stop) : undefined;
    at.offset += at.stop;
  }
  if (pending) yield drain(pending, 0, true, at);
}

/** Bytes of the next chunk to join to a cut record: the rest of its leader's length and a little more. */
function joinLength(pending: Buffer): number {
  const declared = pending.length >= 5 ? parseDigits(pending, 0, 5) : -1;
  return declared >= 24 ? Math.max(declared - pending.length, 0) + 64 : 100_000;
}
