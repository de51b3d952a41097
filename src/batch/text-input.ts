/**
 * Text and CSV input as spreadsheets and Notepad write it: UTF-8 with or without a byte order mark, UTF-16
 * little- or big-endian (Excel's "Unicode text", Notepad's "Unicode"), and CSV separated by commas,
 * semicolons (Excel where the decimal mark is a comma) or tabs. The encoding and the separator are told from
 * the first bytes, so every reader of number lists and CSV decodes the same way and says what it chose.
 *
 * ```ts
 * const layout = await sniffTextLayout("/data/holdings.csv"); // { encoding: "UTF-16LE", separator: ";" }
 * for await (const text of decodedChunks("/data/holdings.csv", layout.encoding)) ...
 * ```
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";

export type TextEncoding = "UTF-8" | "UTF-16LE" | "UTF-16BE";
export type CsvSeparator = "," | ";" | "\t";

export interface TextLayout {
  readonly encoding: TextEncoding;
  /** The separator of the first non-blank line (CSV); `,` when it has none. */
  readonly separator: CsvSeparator;
}

/** Bytes read to tell the encoding and the separator. */
const SNIFF_BYTES = 4096;

/**
 * The encoding of bytes that start a file: a byte order mark says it; without one, text where every other
 * byte is NUL is UTF-16 (NULs at odd offsets: little-endian), as Latin-script UTF-16 always is.
 */
export function encodingOf(head: Uint8Array): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return "UTF-16LE";
  if (head[0] === 0xfe && head[1] === 0xff) return "UTF-16BE";
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "UTF-8";
  let even = 0;
  let odd = 0;
  const n = Math.min(head.length, 512) & ~1;
  for (let i = 0; i < n; i++) if (head[i] === 0) i % 2 === 0 ? even++ : odd++;
  if (n >= 4 && odd >= n / 4 && even === 0) return "UTF-16LE";
  if (n >= 4 && even >= n / 4 && odd === 0) return "UTF-16BE";
  return "UTF-8";
}

/** The separator of a CSV line: the most frequent of `,` `;` tab outside quotes (`,` when none, or a tie). */
export function separatorOf(line: string): CsvSeparator {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "," || c === ";" || c === "\t")) counts[c]++;
  }
  if (counts[";"] > counts[","] && counts[";"] >= counts["\t"]) return ";";
  if (counts["\t"] > counts[","] && counts["\t"] > counts[";"]) return "\t";
  return ",";
}

/** How a file's text is written: its encoding, and the separator of its first non-blank line. */
export async function sniffTextLayout(path: string): Promise<TextLayout> {
  const head = await readHead(path, SNIFF_BYTES);
  return layoutOf(head);
}

/** `sniffTextLayout` for bytes already read (the head of the file). */
export function layoutOf(head: Uint8Array): TextLayout {
  const encoding = encodingOf(head);
  const text = new TextDecoder(label(encoding)).decode(head);
  const first = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  return { encoding, separator: separatorOf(first) };
}

/** The file's text in chunks, decoded (a byte order mark dropped; bad bytes become U+FFFD). */
export async function* decodedChunks(path: string, encoding: TextEncoding): AsyncGenerator<string> {
  const decoder = new TextDecoder(label(encoding));
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The layout in words for the log: `UTF-16LE, separator ';'`; `separator tab` for a tab. */
export function describeLayout(layout: TextLayout): string {
  const separator = layout.separator === "\t" ? "tab" : `'${layout.separator}'`;
  return `${layout.encoding}, separator ${separator}`;
}

function label(encoding: TextEncoding): string {
  return encoding.toLowerCase();
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
