/**
 * OCLC numbers from a text file, one per line, in UTF-8 or UTF-16 (see text-input.ts). Blank lines and `#` comments (whole-line or after the
 * number) are skipped; a line that is not an OCLC number becomes an item that fails with its line number.
 *
 * ```ts
 * const source = textNumberSource("/data/numbers.txt"); // failures.txt holds the failed lines as written
 * ```
 */

import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { countTextItems } from "../count.js";
import { createTextSink } from "../file-sink.js";
import type { SourceEntry } from "../item.js";
import type { BatchSource } from "../source.js";
import { decodedChunks, sniffTextLayout } from "../text-input.js";
import { defaultNumberParser, type NumberParser, numberEntry } from "./number-entry.js";

export interface TextSourceOptions {
  readonly parse?: NumberParser;
  /** Extension of the failures file; default `txt`. */
  readonly extension?: string;
  /** The input's name as the user knows it, for messages: `numbers.txt line 3: ...`. */
  readonly name?: string;
}

export function textNumberSource(path: string, options: TextSourceOptions = {}): BatchSource<string, string> {
  const parse = options.parse ?? defaultNumberParser;
  return {
    format: "text",
    entries: () => readTextEntries(path, parse, options.name),
    count: async () => countTextItems(path, await sniffTextLayout(path)),
    failures: {
      extension: options.extension ?? "txt",
      open(out) {
        const sink = createTextSink(out);
        return { write: (line) => sink.write(`${line}\n`), close: () => sink.close() };
      },
    },
  };
}

async function* readTextEntries(
  path: string,
  parse: NumberParser,
  name: string | undefined,
): AsyncGenerator<SourceEntry<string, string>> {
  // UTF-8 (a BOM dropped) or UTF-16 as Notepad and Excel write it: see text-input.ts.
  const { encoding } = await sniffTextLayout(path);
  const lines = createInterface({ input: Readable.from(decodedChunks(path, encoding)), crlfDelay: Infinity });
  let lineNumber = 0;
  let position = 0;
  for await (const line of lines) {
    lineNumber++;
    const raw = lineNumber === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
    const text = withoutComment(raw).trim();
    if (text === "") continue;
    position++;
    yield numberEntry(position, text, raw, `${name ? `${name} ` : ""}line ${lineNumber}`, parse, lineNumber);
  }
}

function withoutComment(line: string): string {
  const hash = line.indexOf("#");
  return hash < 0 ? line : line.slice(0, hash);
}
