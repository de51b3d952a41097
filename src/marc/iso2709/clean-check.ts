import { isUtf8 } from "node:buffer";
import { ESC } from "../marc8/escape.js";
import { FT, parseDigits, SD } from "./bytes.js";
import type { Frame } from "./framer.js";

/**
 * True when `parseRecord` would find nothing wrong with the framed record, decided on the bytes alone (no
 * strings, no fields built): leader, base address, every directory entry, indicators and first delimiter of
 * every data field, and the character encoding. Conservative: false means "parse it to find out", never
 * "it is bad". It mirrors the checks of record-parser.ts, directory.ts and field-text.ts; a test compares
 * the two on the corpus. `utf8Checked`: the caller found the record's bytes valid UTF-8 already (one check of
 * a whole chunk, see countIso2709).
 */
export function isCleanRecord(buf: Buffer, frame: Frame, toUtf8: boolean, utf8Checked = false): boolean {
  const { start } = frame;
  if (!frame.terminated) return false;
  const dataEnd = frame.end - 1;
  if (dataEnd - start < 24) return false;
  // Leader/10-11 "22", Leader/20-23 "4500" (record-parser's checkLeader).
  if (buf[start + 10] !== 0x32 || buf[start + 11] !== 0x32) return false;
  if (
    buf[start + 20] !== 0x34 ||
    buf[start + 21] !== 0x35 ||
    buf[start + 22] !== 0x30 ||
    buf[start + 23] !== 0x30
  )
    return false;
  // The base address points at the directory's terminator, the first one (findDirectoryEnd).
  const base = parseDigits(buf, start + 12, 5);
  const dirEnd = start + base - 1;
  if (base < 25 || dirEnd >= dataEnd || buf[dirEnd] !== FT) return false;
  if ((dirEnd - start - 24) % 12 !== 0) return false;
  // No field terminator before dirEnd: entries of digits but for their tags, whose bytes are checked here.
  for (let p = start + 24; p < dirEnd; p += 12) {
    if (buf[p] === FT || buf[p + 1] === FT || buf[p + 2] === FT) return false;
    // Length (4 digits) and offset (5), unrolled: parseDigits's loop cost as much as all the rest. `d >>> 0`
    // turns a byte below '0' into a large number, so one comparison per digit checks it.
    const l0 = buf[p + 3] - 48;
    const l1 = buf[p + 4] - 48;
    const l2 = buf[p + 5] - 48;
    const l3 = buf[p + 6] - 48;
    const o0 = buf[p + 7] - 48;
    const o1 = buf[p + 8] - 48;
    const o2 = buf[p + 9] - 48;
    const o3 = buf[p + 10] - 48;
    const o4 = buf[p + 11] - 48;
    if (
      l0 >>> 0 > 9 ||
      l1 >>> 0 > 9 ||
      l2 >>> 0 > 9 ||
      l3 >>> 0 > 9 ||
      o0 >>> 0 > 9 ||
      o1 >>> 0 > 9 ||
      o2 >>> 0 > 9 ||
      o3 >>> 0 > 9 ||
      o4 >>> 0 > 9
    )
      return false;
    const length = ((l0 * 10 + l1) * 10 + l2) * 10 + l3;
    const offset = (((o0 * 10 + o1) * 10 + o2) * 10 + o3) * 10 + o4;
    if (length < 1) return false;
    const fieldStart = dirEnd + 1 + offset;
    const fieldEnd = fieldStart + length - 1;
    if (fieldEnd >= dataEnd || buf[fieldEnd] !== FT) return false;
    if (buf[p] === 0x30 && buf[p + 1] === 0x30) continue; // control field: its text has nothing to check
    // Data field: two indicators, then a subfield delimiter (or nothing), as parseField wants them.
    if (fieldEnd === fieldStart) continue;
    if (fieldEnd - fieldStart < 2 || buf[fieldStart] === SD || buf[fieldStart + 1] === SD) return false;
    if (fieldStart + 2 < fieldEnd && buf[fieldStart + 2] !== SD) return false;
  }
  if (buf[start + 9] !== 0x20) return utf8Checked || isUtf8(buf.subarray(start, dataEnd));
  // MARC-8: only ASCII without escapes decodes without a possible problem; anything else is decoded in full.
  if (!toUtf8) return true;
  for (let i = dirEnd + 1; i < dataEnd; i++) if (buf[i] >= 0x80 || buf[i] === ESC) return false;
  return true;
}
