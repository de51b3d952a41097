/**
 * Numeric character references in MARC-8 data: LoC's lossless conversion writes a Unicode character that
 * MARC-8 lacks as `&#xHHHH;` (hex, 4 to 6 digits). Converting back to Unicode turns it into the character.
 * Anything else (`&amp;`, `&#x0E25%x;`, a surrogate, a value above U+10FFFF) stays as it is.
 */

const NCR = /&#[xX]([0-9A-Fa-f]{4,6});/g;
const AMPERSAND = 0x26;
const MAX_LENGTH = 10; // "&#x" + 6 digits + ";"

/** The character of a valid code point in hex, or undefined (surrogates and out of range). */
function character(hexDigits: string): string | undefined {
  const cp = Number.parseInt(hexDigits, 16);
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return String.fromCodePoint(cp);
}

/** Replaces every valid `&#xHHHH;` in `text` (used on fields with no combining marks to place). */
export function decodeNcrs(text: string): string {
  return text.replace(NCR, (whole, digits: string) => character(digits) ?? whole);
}

/** Parses an NCR starting at `bytes[start]` ('&'): its text and byte length, or undefined when there is none. */
export function parseNcr(bytes: Uint8Array, start: number): { text: string; length: number } | undefined {
  if (bytes[start] !== AMPERSAND || bytes[start + 1] !== 0x23 || (bytes[start + 2]! | 0x20) !== 0x78) return;
  let end = start + 3;
  while (end < bytes.length && end - start < MAX_LENGTH && isHexDigit(bytes[end]!)) end++;
  const digits = end - start - 3;
  if (digits < 4 || digits > 6 || bytes[end] !== 0x3b) return;
  const text = character(String.fromCharCode(...bytes.subarray(start + 3, end)));
  return text === undefined ? undefined : { text, length: end + 1 - start };
}

function isHexDigit(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
}
