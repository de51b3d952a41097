/** Byte-level constants and helpers shared by the ISO 2709 reader and writer. */

/** Record terminator (IS3). */
export const RT = 0x1d;
/** Field terminator (IS2). */
export const FT = 0x1e;
/** Subfield delimiter (IS1). */
export const SD = 0x1f;

/** One-character strings for every byte value (indicators, subfield codes): no per-byte string building. */
export const BYTE_CHAR: readonly string[] = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i));

/** "000".."999": numeric tags come from this table instead of a new string per directory entry. */
const NUMERIC_TAGS: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/** Parses `width` ASCII digits at `at`; -1 when any byte is not a digit. */
export function parseDigits(buf: Uint8Array, at: number, width: number): number {
  let n = 0;
  for (let i = at; i < at + width; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** The 3-byte tag at `at` as a string. */
export function readTag(buf: Buffer, at: number): string {
  const a = buf[at] - 48;
  const b = buf[at + 1] - 48;
  const c = buf[at + 2] - 48;
  if (a >= 0 && a <= 9 && b >= 0 && b <= 9 && c >= 0 && c <= 9) return NUMERIC_TAGS[a * 100 + b * 10 + c];
  return buf.toString("latin1", at, at + 3);
}

/** Wraps any Uint8Array as a Buffer without copying. */
export function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Index of the first byte in `buf[from, to)` that starts an invalid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= to) return i;
    // Second-byte ranges that exclude overlong forms, surrogates and code points above U+10FFFF.
    const b1 = buf[i + 1];
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k <= need; k++) if ((buf[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}
