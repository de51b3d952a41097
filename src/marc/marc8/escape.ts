/**
 * MARC-8 escape sequences (MARC 21 Specifications, Character Sets, part 3).
 *
 * - ESC ( F, ESC , F      designate set F as G0 (single byte)
 * - ESC ) F, ESC - F      designate set F as G1
 * - ESC $ F, ESC $ ( F, ESC $ , F   multibyte set F as G0 (ESC $ 1: EACC)
 * - ESC $ ) F, ESC $ - F  multibyte set F as G1
 * - ESC g / ESC b / ESC p / ESC s   technique 1: Greek symbols / subscripts / superscripts / back to ASCII, as G0
 *
 * Syntax is ESC, intermediates (0x21-0x2F), one final byte (0x30-0x7E). An intermediate '!' before the final
 * (seen in some records as ESC ) ! E) is tolerated and ignored.
 */

export const ESC = 0x1b;

export type Escape =
  /** A designation: set `final` becomes G0 or G1. `length` bytes are consumed, ESC included. */
  | { readonly kind: "designate"; readonly length: number; readonly graphic: 0 | 1; readonly final: number }
  /** Not a usable escape sequence: consume `length` bytes (ESC and intermediates), the rest is data again. */
  | { readonly kind: "invalid"; readonly length: number; readonly message: string };

const TECHNIQUE_1: Record<number, number> = { 103: 0x67, 98: 0x62, 112: 0x70, 115: 0x42 };

// Intermediates (without '$' and a trailing '!') -> graphic set they designate.
const TARGET: Record<string, 0 | 1> = { "": 0, "(": 0, ",": 0, ")": 1, "-": 1 };

const isIntermediate = (b: number) => b >= 0x21 && b <= 0x2f;
const isFinal = (b: number) => b >= 0x30 && b <= 0x7e;

/** Parses the escape sequence starting at `bytes[start]` (which is ESC). Never throws. */
export function parseEscape(bytes: Uint8Array, start: number): Escape {
  let i = start + 1;
  let intermediates = "";
  while (i < bytes.length && isIntermediate(bytes[i]!)) intermediates += String.fromCharCode(bytes[i++]!);
  const length = i - start;
  if (i >= bytes.length || !isFinal(bytes[i]!)) {
    const where = i >= bytes.length ? "at end of field" : `before byte 0x${hex(bytes[i]!)}`;
    return invalid(length, `incomplete escape sequence ESC ${intermediates} ${where}`);
  }
  const final = bytes[i]!;
  if (intermediates === "") {
    const technique1 = TECHNIQUE_1[final];
    if (technique1 !== undefined)
      return { kind: "designate", length: length + 1, graphic: 0, final: technique1 };
    return invalid(length + 1, `unknown escape sequence ESC ${String.fromCharCode(final)}`);
  }
  const core = intermediates.replace(/^\$/, "").replace(/!$/, "");
  const graphic = TARGET[core];
  if (graphic === undefined || (core === "" && intermediates[0] !== "$")) {
    return invalid(length + 1, `unknown escape sequence ESC ${intermediates}${String.fromCharCode(final)}`);
  }
  return { kind: "designate", length: length + 1, graphic, final };
}

function invalid(length: number, message: string): Escape {
  return { kind: "invalid", length, message };
}

export function hex(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, "0");
}
