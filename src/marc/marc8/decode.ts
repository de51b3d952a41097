/**
 * MARC-8 -> Unicode for one field's data.
 *
 * ```ts
 * decodeMarc8(new Uint8Array([0x64, 0xe2, 0x65, 0x6a, 0xe0, 0x61])) // "déjả" (NFC)
 * ```
 */
import { ESC } from "./escape.js";
import { FieldDecoder, type Marc8Report } from "./field-decoder.js";
import { decodeNcrs } from "./ncr.js";

export type { Marc8Report } from "./field-decoder.js";

/**
 * Decodes one field's MARC-8 bytes to an NFC-normalised string. Escapes start over in every field and subfield
 * (G0 = ASCII, G1 = ANSEL). Subfield delimiters (0x1F), C0 controls and space pass through unchanged.
 * Combining marks, which precede their base in MARC-8, are moved after it. Numeric character references
 * `&#xHHHH;` (LoC lossless conversion of characters MARC-8 lacks) become the characters.
 * Never throws on bad data: an unmapped byte, a broken multibyte character or a bad escape sequence
 * becomes U+FFFD and is reported with its byte index; decoding goes on.
 */
export function decodeMarc8(bytes: Uint8Array, report?: Marc8Report): string {
  const plain = scanPlainAscii(bytes);
  if (plain === PLAIN) return latin1(bytes);
  if (plain === PLAIN_WITH_AMPERSAND) return decodeNcrs(latin1(bytes)).normalize("NFC");
  return new FieldDecoder(bytes, report ?? noReport).run().normalize("NFC");
}

function noReport(): void {}

const PLAIN = 0;
const PLAIN_WITH_AMPERSAND = 1;
const NOT_PLAIN = 2;

/** Fast path test: no byte >= 0x80 and no ESC means ASCII in, the same text out (NCRs aside). */
function scanPlainAscii(bytes: Uint8Array): number {
  let result = PLAIN;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 || b === ESC) return NOT_PLAIN;
    if (b === 0x26) result = PLAIN_WITH_AMPERSAND;
  }
  return result;
}

// WHATWG "latin1" is windows-1252: identical to ASCII below 0x80, the only bytes it ever sees here.
// Fastest of Buffer#toString, String.fromCharCode and TextDecoder for typical field lengths.
const asciiDecoder = new TextDecoder("latin1");

function latin1(bytes: Uint8Array): string {
  return asciiDecoder.decode(bytes);
}
