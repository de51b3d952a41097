/**
 * ISO 2709 to MARCXML straight from bytes to bytes: a clean UTF-8 record's field bytes are copied into the
 * `<record>` element (escaped where XML needs it) without building a record or any string. Building the
 * record, then its XML text, then encoding that text cost twice yaz-marcdump's time on large files.
 *
 * Only what the byte-level check vouches for goes this way (see `encodeRecord`); every other record (a
 * problem while framing, MARC-8, a control character, a non-ASCII tag, indicator or code...) is read in
 * full and written by the MARCXML writer, so the output is byte for byte the writer's.
 */
import type { ByteSource, ConvertItem, ReadOptions } from "../codec.js";
import { parseDigits, SD } from "../iso2709/bytes.js";
import { isCleanRecord } from "../iso2709/clean-check.js";
import { parseRecord } from "../iso2709/record-parser.js";
import { frames } from "../iso2709-reader.js";

const ascii = (text: string) => Buffer.from(text, "latin1");
// The pieces of `recordElement` in marcxml-string.ts, as the writer's defaults lay them out (in a
// collection, indented by two spaces).
const RECORD_OPEN = ascii("  <record>\n    <leader>");
const LEADER_CLOSE = ascii("</leader>\n");
const CONTROL_OPEN = ascii('    <controlfield tag="');
const CONTROL_CLOSE = ascii("</controlfield>\n");
const DATA_OPEN = ascii('    <datafield tag="');
const IND1 = ascii('" ind1="');
const IND2 = ascii('" ind2="');
const DATA_OPEN_END = ascii('">\n');
const DATA_CLOSE = ascii("    </datafield>\n");
const SUBFIELD_OPEN = ascii('      <subfield code="');
const SUBFIELD_CLOSE = ascii("</subfield>\n");
const RECORD_CLOSE = ascii("  </record>\n");
const AMP = ascii("&amp;");
const LT = ascii("&lt;");
const GT = ascii("&gt;");

/** Output room per input byte: at most the markup of a subfield (~40 bytes), for a subfield delimiter. */
const ROOM_PER_BYTE = 64;

export async function* iso2709ToMarcXml(
  input: ByteSource,
  options: ReadOptions = {},
): AsyncGenerator<ConvertItem> {
  const toUtf8 = options.toUtf8 !== false;
  let scratch = Buffer.allocUnsafe(256 * 1024);
  const chunks = frames<ConvertItem>(input, options, (buf, frame, log, recordNumber, byteOffset) => {
    if (log.problems === undefined && buf[frame.start + 9] !== 0x20 && isCleanRecord(buf, frame, toUtf8)) {
      const room = ROOM_PER_BYTE * (frame.end - frame.start) + 256;
      if (scratch.length < room) scratch = Buffer.allocUnsafe(room);
      const length = encodeRecord(buf, frame.start, scratch);
      if (length >= 0)
        return { encoded: scratch.subarray(0, length), recordNumber, byteOffset, problems: log.take() };
    }
    const record = parseRecord(buf, frame, toUtf8, log);
    const marc8 = toUtf8 && buf[frame.start + 9] === 0x20;
    return { record, recordNumber, byteOffset, problems: log.take(), marc8 };
  });
  for await (const items of chunks) for (const item of items) yield item;
}

/**
 * Writes the `<record>` element of a clean UTF-8 record (isCleanRecord vouched for its structure and
 * encoding) into `out` and returns its length; -1 when a byte needs what only the full path does
 * (U+FFFD for a control character or a non-character, character references in attributes).
 */
function encodeRecord(buf: Buffer, start: number, out: Buffer): number {
  let at = put(out, 0, RECORD_OPEN);
  // The leader is read as Latin-1: only ASCII comes out as the same bytes.
  for (let i = start; i < start + 24; i++) if (buf[i] >= 0x80) return -1;
  at = text(buf, start, start + 24, out, at);
  if (at < 0) return -1;
  at = put(out, at, LEADER_CLOSE);
  const base = parseDigits(buf, start + 12, 5);
  const dirEnd = start + base - 1;
  for (let p = start + 24; p < dirEnd; p += 12) {
    const fieldStart = dirEnd + 1 + parseDigits(buf, p + 7, 5);
    const fieldEnd = fieldStart + parseDigits(buf, p + 3, 4) - 1;
    if (!attributeSafe(buf[p]) || !attributeSafe(buf[p + 1]) || !attributeSafe(buf[p + 2])) return -1;
    if (buf[p] === 0x30 && buf[p + 1] === 0x30) {
      at = put(out, at, CONTROL_OPEN);
      at = tag(buf, p, out, at);
      out[at++] = 0x22; // "
      out[at++] = 0x3e; // >
      at = text(buf, fieldStart, fieldEnd, out, at);
      if (at < 0) return -1;
      at = put(out, at, CONTROL_CLOSE);
      continue;
    }
    at = put(out, at, DATA_OPEN);
    at = tag(buf, p, out, at);
    // Indicators: an empty field has blanks (isCleanRecord let through only empty fields or two of them).
    const empty = fieldEnd === fieldStart;
    const ind1 = empty ? 0x20 : buf[fieldStart];
    const ind2 = empty ? 0x20 : buf[fieldStart + 1];
    if (!attributeSafe(ind1) || !attributeSafe(ind2)) return -1;
    at = put(out, at, IND1);
    out[at++] = ind1;
    at = put(out, at, IND2);
    out[at++] = ind2;
    at = put(out, at, DATA_OPEN_END);
    // Subfields: each delimiter starts one; a delimiter right before another (or at the end) gives none.
    for (let sd = empty ? fieldEnd : fieldStart + 2; sd < fieldEnd; ) {
      let next = buf.indexOf(SD, sd + 1);
      if (next < 0 || next > fieldEnd) next = fieldEnd;
      if (next > sd + 1) {
        const code = buf[sd + 1];
        if (!attributeSafe(code)) return -1;
        at = put(out, at, SUBFIELD_OPEN);
        out[at++] = code;
        out[at++] = 0x22;
        out[at++] = 0x3e;
        at = text(buf, sd + 2, next, out, at);
        if (at < 0) return -1;
        at = put(out, at, SUBFIELD_CLOSE);
      }
      sd = next;
    }
    at = put(out, at, DATA_CLOSE);
  }
  return put(out, at, RECORD_CLOSE);
}

function put(out: Buffer, at: number, bytes: Buffer): number {
  out.set(bytes, at);
  return at + bytes.length;
}

function tag(buf: Buffer, p: number, out: Buffer, at: number): number {
  out[at] = buf[p];
  out[at + 1] = buf[p + 1];
  out[at + 2] = buf[p + 2];
  return at + 3;
}

/** Printable ASCII that an attribute value carries as it is (escapeXml leaves it alone). */
function attributeSafe(b: number): boolean {
  return b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x26 && b !== 0x3c && b !== 0x3e;
}

/**
 * Copies the text bytes `[from, to)` escaped as escapeXml does for element content; -1 when one needs the
 * full path: a control character other than tab and line feed (a subfield delimiter ends a subfield's text
 * before it gets here), U+FFFE/U+FFFF (EF BF BE/BF), which become U+FFFD, or a start inside a UTF-8
 * sequence (a directory offset pointing into a field), decoded as U+FFFD too.
 */
function text(buf: Buffer, from: number, to: number, out: Buffer, at: number): number {
  if (from < to && (buf[from] & 0xc0) === 0x80) return -1;
  for (let i = from; i < to; i++) {
    const b = buf[i];
    if (b > 0x3e) {
      if (b === 0xef && buf[i + 1] === 0xbf && (buf[i + 2] === 0xbe || buf[i + 2] === 0xbf) && i + 2 < to)
        return -1;
      out[at++] = b;
    } else if (b === 0x26) at = put(out, at, AMP);
    else if (b === 0x3c) at = put(out, at, LT);
    else if (b === 0x3e) at = put(out, at, GT);
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a) return -1;
    else out[at++] = b;
  }
  return at;
}
