import { FT, parseDigits, RT } from "./bytes.js";
import type { ProblemLog } from "./problems.js";
import { showBytes } from "./show.js";

/** Where one record lies in the buffer: `[start, end)`, `end` just past its record terminator when present. */
export interface Frame {
  readonly start: number;
  readonly end: number;
  /** False when the record has no record terminator (it ends at `end`). */
  readonly terminated: boolean;
}

/**
 * Records longer than this without a record terminator are cut (permissive) instead of buffered forever:
 * it keeps memory bounded on garbage input. ISO 2709 records are at most 99,999 bytes.
 */
export const MAX_SCAN = 1 << 20;

/** Bytes skipped silently between records: line ends, NUL padding, DOS end-of-file, spaces. */
function isGap(b: number): boolean {
  return b === 0x0a || b === 0x0d || b === 0x00 || b === 0x1a || b === 0x20;
}

/** Index of the first byte at or after `pos` that is not a gap byte. */
export function skipGap(buf: Uint8Array, pos: number): number {
  while (pos < buf.length && isGap(buf[pos])) pos++;
  return pos;
}

/**
 * Finds the record starting at `start` (a non-gap byte). Returns undefined when more input is needed.
 * Trusts the leader's record length when it ends on a record terminator; otherwise scans for one and
 * reports the mismatch (permissive recovery of bad lengths, non-numeric lengths, missing terminators).
 */
export function frameRecord(buf: Buffer, start: number, eof: boolean, log: ProblemLog): Frame | undefined {
  const available = buf.length - start;
  if (available < 24 && !eof) return undefined;
  const declared = available >= 5 ? parseDigits(buf, start, 5) : -1;
  if (declared >= 24) {
    const end = start + declared;
    if (end > buf.length && !eof && declared <= MAX_SCAN) return undefined;
    if (end <= buf.length && buf[end - 1] === RT) return { start, end, terminated: true };
    // A missing record terminator: the leader's length counts it (or not) and the next record follows.
    for (const cut of [end - 1, end]) {
      if (cut > buf.length || buf[cut - 1] !== FT) continue;
      if (!eof && buf.length - cut < 5) return undefined;
      if (looksLikeRecordStart(buf, cut, eof)) {
        log.add("error", "record terminator missing at the end given by the leader's record length", cut);
        return { start, end: cut, terminated: false };
      }
    }
  }
  const rt = buf.indexOf(RT, start + Math.min(24, available));
  if (rt < 0) {
    if (!eof && available < MAX_SCAN) return undefined;
    const end = eof ? buf.length : start + MAX_SCAN;
    log.add("error", `record terminator missing: record cut at ${end - start} bytes (truncated input?)`, end);
    return { start, end, terminated: false };
  }
  const actual = rt + 1 - start;
  const lengthText = showBytes(buf, start, start + Math.min(5, available));
  log.add(
    "error",
    declared < 0
      ? `record length '${lengthText}' in leader is not a number; record ends at its terminator (${actual} bytes)`
      : `record length ${declared} in leader, but the record terminator ends the record at ${actual} bytes`,
    start,
  );
  return { start, end: rt + 1, terminated: true };
}

/** True at end of input or when five digits (a record length) start at `at`. */
function looksLikeRecordStart(buf: Buffer, at: number, eof: boolean): boolean {
  if (at >= buf.length) return eof;
  return buf.length - at >= 5 && parseDigits(buf, at, 5) >= 24;
}
