import type { Field, MarcRecord } from "../record.js";
import { FT, RT } from "./bytes.js";
import { MarcWriteError } from "./write-error.js";

/** Structure characters that would break the record if they appeared inside a value. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the MARC delimiters are exactly what is looked for
const STRUCTURE = /[\x1d\x1e\x1f]/;

/** A record's field texts (each with its field terminator), checked and ready to be written. */
export interface PreparedRecord {
  readonly record: MarcRecord;
  readonly texts: readonly string[];
  /** Bytes the record can take at most (UTF-8 needs at most 3 bytes per UTF-16 unit). */
  readonly maxLength: number;
}

/** Builds the field texts and checks tags, indicators, subfield codes and values. */
export function prepareRecord(record: MarcRecord, recordNumber: number): PreparedRecord {
  const n = record.fields.length;
  const texts: string[] = new Array(n);
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const field = record.fields[i];
    if (field.tag.length !== 3) fail(recordNumber, field.tag, `tag '${field.tag}' is not 3 characters`);
    texts[i] = fieldText(field, recordNumber);
    chars += texts[i].length;
  }
  return { record, texts, maxLength: 24 + 12 * n + 1 + 3 * chars + 1 };
}

/**
 * Writes a prepared record into `target` at `at` (which must have `maxLength` bytes free) and returns its
 * length. The data goes first, straight from the strings, so byte lengths come from the writes themselves.
 * Throws MarcWriteError when a limit of ISO 2709 is passed (9,999-byte fields, 99,999-byte records).
 */
export function writeRecord(
  prepared: PreparedRecord,
  target: Buffer,
  at: number,
  recordNumber: number,
): number {
  const { texts, record } = prepared;
  const base = 24 + 12 * texts.length + 1;
  let p = at + 24;
  let offset = 0;
  for (let i = 0; i < texts.length; i++, p += 12) {
    const bytes = target.write(texts[i], at + base + offset, "utf8");
    if (bytes > 9999)
      fail(recordNumber, record.fields[i].tag, `field is ${bytes} bytes; ISO 2709 allows 9,999`);
    if (offset > 99999)
      fail(recordNumber, record.fields[i].tag, "field starts after byte 99,999 of the data");
    writeAscii(target, p, record.fields[i].tag, 3);
    writeDigits(target, p + 3, 4, bytes);
    writeDigits(target, p + 7, 5, offset);
    offset += bytes;
  }
  target[p] = FT;
  const length = base + offset + 1;
  if (length > 99999) fail(recordNumber, undefined, `record is ${length} bytes; ISO 2709 allows 99,999`);
  target[at + length - 1] = RT;
  writeAscii(target, at, record.leader, 24);
  writeDigits(target, at, 5, length);
  target[at + 9] = 0x61; // 'a': UCS/Unicode
  target[at + 10] = 0x32; // indicator count 2
  target[at + 11] = 0x32; // subfield code length 2
  writeDigits(target, at + 12, 5, base);
  writeAscii(target, at + 20, "4500", 4);
  return length;
}

/** One record as ISO 2709 bytes. */
export function encodeIso2709(record: MarcRecord, recordNumber = 1): Buffer {
  const prepared = prepareRecord(record, recordNumber);
  const out = Buffer.allocUnsafe(prepared.maxLength);
  return Buffer.from(out.subarray(0, writeRecord(prepared, out, 0, recordNumber)));
}

function fieldText(field: Field, recordNumber: number): string {
  if (field.kind === "control") {
    if (STRUCTURE.test(field.value)) fail(recordNumber, field.tag, "value contains a MARC delimiter");
    return `${field.value}\x1e`;
  }
  let text = indicator(field.ind1, field.tag, recordNumber) + indicator(field.ind2, field.tag, recordNumber);
  for (const s of field.subfields) {
    if (s.code.length !== 1 || STRUCTURE.test(s.value) || STRUCTURE.test(s.code))
      fail(recordNumber, field.tag, `subfield '${s.code}' has a bad code or contains a MARC delimiter`);
    text += `\x1f${s.code}${s.value}`;
  }
  return `${text}\x1e`;
}

function indicator(value: string, tag: string, recordNumber: number): string {
  if (value.length === 1) return value;
  if (value.length === 0) return " ";
  return fail(recordNumber, tag, `indicator '${value}' is not one character`);
}

/** Low byte of each UTF-16 unit (leader and tags are ASCII). */
function writeAscii(target: Buffer, at: number, text: string, width: number): void {
  for (let i = 0; i < width; i++) target[at + i] = text.charCodeAt(i) & 0xff;
}

function writeDigits(target: Buffer, at: number, width: number, n: number): void {
  for (let i = at + width - 1; i >= at; i--) {
    target[i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
}

function fail(recordNumber: number, tag: string | undefined, message: string): never {
  throw new MarcWriteError(recordNumber, tag, message);
}
