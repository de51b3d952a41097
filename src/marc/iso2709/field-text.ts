import { firstInvalidUtf8 } from "./bytes.js";
import { decodeMarc8Bytes } from "./marc8-bridge.js";
import type { ProblemLog } from "./problems.js";

/** Turns the bytes `buf[start, end)` of one field into text, reporting undecodable bytes. */
export type FieldText = (buf: Buffer, start: number, end: number, tag: string, log: ProblemLog) => string;

/** UTF-8 for a record whose bytes are all valid (checked once per record): no per-field checks. */
export const utf8Text: FieldText = (buf, start, end) => buf.toString("utf8", start, end);

/** UTF-8 for a record with invalid bytes: U+FFFD for each bad sequence and a warning with its offset. */
export const checkedUtf8Text: FieldText = (buf, start, end, tag, log) => {
  const bad = firstInvalidUtf8(buf, start, end);
  if (bad >= 0) {
    const hex = buf[bad].toString(16).toUpperCase().padStart(2, "0");
    log.add("warning", `invalid UTF-8 (byte 0x${hex}) replaced by U+FFFD`, bad, tag);
  }
  return buf.toString("utf8", start, end);
};

/** MARC-8 (Leader/09 blank) converted to UTF-8 text. */
export const marc8Text: FieldText = (buf, start, end, tag, log) =>
  decodeMarc8Bytes(buf.subarray(start, end), (i, message) =>
    log.add("warning", `MARC-8: ${message}`, start + i, tag),
  );

/** The raw bytes as Latin-1, one character per byte (MARC-8 kept unconverted when `toUtf8` is false). */
export const latin1Text: FieldText = (buf, start, end) => buf.toString("latin1", start, end);
