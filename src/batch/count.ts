/**
 * Fast byte scans that count a file's items without decoding it, so progress can show a total.
 * They agree with the sources on what an item is (non-blank, non-comment lines; non-blank CSV records).
 */
import { createReadStream } from "node:fs";
import { decodedChunks, type TextLayout } from "./text-input.js";

const NL = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const HASH = 0x23;
const QUOTE = 0x22;
const COMMA = 0x2c;

/**
 * Lines whose first non-blank character exists and is not `#`. UTF-16 input (`layout`) is decoded first;
 * its code units are counted like bytes.
 */
export async function countTextItems(path: string, layout?: TextLayout): Promise<number> {
  let count = 0;
  let lineStart = true; // no non-blank character seen yet on this line
  let first = true;
  for await (const chunk of units(path, layout)) {
    let i = 0;
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) i = 3;
    }
    for (; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === NL) lineStart = true;
      else if (lineStart && b !== SPACE && b !== TAB && b !== CR) {
        lineStart = false;
        if (b !== HASH) count++;
      }
    }
  }
  return count;
}

/** CSV records with some content (line breaks inside quotes do not end a record); see `countTextItems`. */
export async function countCsvRecords(path: string, layout?: TextLayout): Promise<number> {
  let count = 0;
  let inQuotes = false;
  let content = false;
  const separator = (layout?.separator ?? ",").charCodeAt(0);
  for await (const chunk of units(path, layout)) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === QUOTE) {
        inQuotes = !inQuotes;
        content = true;
      } else if (inQuotes) {
      } else if (b === NL) {
        if (content) count++;
        content = false;
      } else if (b !== CR && b !== COMMA && b !== separator && b !== SPACE && b !== TAB) content = true;
    }
  }
  return content ? count + 1 : count;
}

/** The file as bytes (UTF-8), or as UTF-16 code units once decoded: both index like arrays of numbers. */
async function* units(path: string, layout?: TextLayout): AsyncGenerator<ArrayLike<number>> {
  if (layout === undefined || layout.encoding === "UTF-8") {
    yield* createReadStream(path) as AsyncIterable<Buffer>;
    return;
  }
  for await (const text of decodedChunks(path, layout.encoding)) {
    const codes = new Uint16Array(text.length);
    for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
    yield codes;
  }
}
