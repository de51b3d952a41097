/** Guessing a MARC format from the first bytes of the content, and the names users give formats. */
import type { MarcFormat } from "./codec.js";

/** Formats that can be written: every readable format plus `text`, the dump (see dump.ts). */
export type OutputFormat = MarcFormat | "text";

/** Accepted names, lower case, for each format (`mrc` for ISO 2709, `xml` for MARCXML...). */
const ALIASES: Readonly<Record<string, OutputFormat>> = {
  iso2709: "iso2709",
  mrc: "iso2709",
  marc: "iso2709",
  iso: "iso2709",
  marcxml: "marcxml",
  xml: "marcxml",
  json: "json",
  mij: "json",
  "marc-in-json": "json",
  mrk: "mrk",
  text: "text",
  dump: "text",
  txt: "text",
};

/** The format for a user-given name, or undefined when unknown. `parseFormatName("mrc")` -> "iso2709". */
export function parseFormatName(name: string): OutputFormat | undefined {
  return ALIASES[name.toLowerCase()];
}

/** The names accepted by `parseFormatName`, for help and error messages. */
export const FORMAT_NAMES = "iso2709|mrc, marcxml|xml, json, mrk, text";

/**
 * Guesses the format from the first bytes (a UTF-8 BOM and leading white space are skipped):
 * `<` MARCXML, `{` or `[` MARC-in-JSON, `=LDR` MarcEdit mnemonic, five digits ISO 2709.
 * Returns undefined when none fits.
 */
export function detectFormat(firstBytes: Uint8Array): MarcFormat | undefined {
  let i = 0;
  if (firstBytes[0] === 0xef && firstBytes[1] === 0xbb && firstBytes[2] === 0xbf) i = 3;
  while (i < firstBytes.length && isSpace(firstBytes[i])) i++;
  const b = firstBytes[i];
  if (b === 0x3c) return "marcxml";
  if (b === 0x7b || b === 0x5b) return "json";
  if (b === 0x3d && String.fromCharCode(...firstBytes.subarray(i, i + 4)) === "=LDR") return "mrk";
  let digits = 0;
  while (digits < 5 && isDigit(firstBytes[i + digits])) digits++;
  return digits === 5 ? "iso2709" : undefined;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}
