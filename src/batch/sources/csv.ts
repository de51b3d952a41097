/**
 * OCLC numbers from a CSV file (RFC 4180). The number is in the column named `ocn`, `oclc`, `oclcNumber`
 * or `number` (any case, spaces and underscores ignored), or else the first column. A first row without such
 * a name whose first cell is an OCLC number is data, not a header. Failures are written back as CSV rows
 * under the same header, all columns kept.
 *
 * ```ts
 * const source = csvNumberSource("/data/holdings.csv");
 * ```
 */
import { createReadStream } from "node:fs";
import { countCsvRecords } from "../count.js";
import { type CsvRecord, csvRow, parseCsv } from "../csv.js";
import { createTextSink } from "../file-sink.js";
import type { SourceEntry } from "../item.js";
import type { BatchSource } from "../source.js";
import { defaultNumberParser, type NumberParser, numberEntry } from "./number-entry.js";

export interface CsvSourceOptions {
  readonly parse?: NumberParser;
  readonly extension?: string;
  /** The input's name as the user knows it, for messages: `holdings.csv line 3, column 2 (ocn): ...`. */
  readonly name?: string;
}

const NUMBER_COLUMNS = new Set(["ocn", "oclc", "oclcnumber", "number"]);

/** Raw form of a CSV item: its cells, and the header it sits under (undefined when the file has none). */
export interface CsvRaw {
  readonly fields: readonly string[];
  readonly header?: readonly string[];
}

export function csvNumberSource(path: string, options: CsvSourceOptions = {}): BatchSource<string, CsvRaw> {
  const parse = options.parse ?? defaultNumberParser;
  let hasHeader: boolean | undefined;
  return {
    format: "csv",
    entries: () =>
      readCsvEntries(path, parse, options.name, (h) => {
        hasHeader = h;
      }),
    async count() {
      const records = await countCsvRecords(path);
      // The header is known once the first record has been read; before that, assume one when records > 1.
      return Math.max(0, records - ((hasHeader ?? records > 1) ? 1 : 0));
    },
    failures: {
      extension: options.extension ?? "csv",
      open(out) {
        const sink = createTextSink(out);
        let headed = false;
        return {
          write(raw) {
            if (!headed && raw.header) sink.write(csvRow(raw.header));
            headed = true;
            sink.write(csvRow(raw.fields));
          },
          close: () => sink.close(),
        };
      },
    },
  };
}

async function* readCsvEntries(
  path: string,
  parse: NumberParser,
  name: string | undefined,
  onHeader: (hasHeader: boolean) => void,
): AsyncGenerator<SourceEntry<string, CsvRaw>> {
  let column = -1;
  let header: string[] | undefined;
  let position = 0;
  for await (const record of parseCsv(createReadStream(path))) {
    if (isBlank(record)) continue;
    if (column < 0) {
      const named = record.fields.findIndex((f) => NUMBER_COLUMNS.has(normalise(f)));
      const isHeader = named >= 0 || (!record.error && parse(record.fields[0] ?? "") === undefined);
      column = Math.max(0, named);
      onHeader(isHeader);
      if (isHeader) {
        header = record.fields;
        continue;
      }
    }
    position++;
    const raw: CsvRaw = { fields: record.fields, header };
    const where = `${name ? `${name} ` : ""}line ${record.line}`;
    if (record.error) {
      const invalid = name ? `${name} ${record.error}` : record.error;
      yield { position, inputId: record.fields[column]?.trim() ?? "", raw, invalid };
      continue;
    }
    const cell = record.fields[column];
    if (cell === undefined) {
      yield { position, inputId: "", raw, invalid: `${where}: no column ${column + 1} in this row` };
      continue;
    }
    const heading = header?.[column]?.trim();
    const field = `column ${column + 1}${heading ? ` (${heading})` : ""}`;
    yield numberEntry(position, cell.trim(), raw, `${where}, ${field}`, parse);
  }
}

function isBlank(record: CsvRecord): boolean {
  return !record.error && record.fields.every((f) => f.trim() === "");
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, "");
}
