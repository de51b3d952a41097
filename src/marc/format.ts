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
 * `<` MARCXML, `{` or `[` MARC-in-JSON, `=LDR` MarcEdit mnemonic, five digits ISO 2709 (followed by leader
 * bytes: a list of numbers, one a line, or a CSV row is not ISO 2709). Returns undefined when none fits.
 */
export function detectFormat(firstBytes: Uint8Array): MarcFormat | undefined {
  let i = 0;
  if (firstBytes[0] === 0xef && firstBytes[1] === 0xbb && firstBytes[2] === 0xbf) i = 3;
  while (i < firstBytes.length && isSpace(firstBytes[i])) i++;
  const b = firstBytes[i];
  if (b === 0x3c) return "marcxml";
  if (b === 0x7b || b === 0x5b) return "json";
  if (b === 0x3d && String.fromCharCode(...firstBytes.subarray(i, i + 4)) === "=LDR") return "mrk";
  return looksLikeLeader(firstBytes.subarray(i)) ? "iso2709" : undefined;
}

/**
 * The start of an ISO 2709 leader: a five-digit record length, then (as far as `bytes` go, up to 24) no line
 * break, tab, comma or semicolon, which a list of numbers or a CSV file has and a leader, even a damaged one
 * (sample1.mrc has a 0x02 in it), does not.
 */
export function looksLikeLeader(bytes: Uint8Array): boolean {
  for (let k = 0; k < 5; k++) if (!isDigit(bytes[k])) return false;
  for (let k = 5; k < Math.min(bytes.length, 24); k++) {
    const b = bytes[k]!;
    if (b === 0x0a || b === 0x0d || b === 0x09 || b === 0x2c || b === 0x3b) return false;
  }
  return true;
}

/** The input formats in words, for messages. */
export const FORMAT_LABELS: Readonly<Record<OutputFormat, string>> = {
  iso2709: "ISO 2709",
  marcxml: "MARCXML",
  json: "MARC-in-JSON",
  mrk: "MarcEdit .mrk",
  text: "text",
};

/**
 * Why input that is no MARC format was refused, saying what it starts with: `n.txt is not MARC: it starts
 * with "100000002\n100000003", a list of numbers, ...`. `head` is the first bytes of the input.
 */
export function notMarcMessage(name: string, head: Uint8Array): string {
  const text = Buffer.from(head)
    .toString("utf8")
    .replace(/^\uFEFF/, "");
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const kind = /^[\d\s-]+$/.test(text)
    ? ", a list of numbers,"
    : lines[0]?.includes(",") || lines[0]?.includes(";") || lines[0]?.includes("\t")
      ? ", a CSV file,"
      : "";
  return (
    `${name} is not MARC: it starts with ${shown}${kind} not an ISO 2709 leader, MARCXML, MARC-in-JSON ` +
    "or a MarcEdit .mrk =LDR line (if it is MARC, name its format)"
  );
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}
