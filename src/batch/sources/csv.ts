/**
 * OCLC numbers from a CSV file (RFC 4180, or separated by semicolons or tabs; UTF-8 or UTF-16). The number is in the column `column` names (a header name, or a
 * number from 1), else in the column whose header is `ocn`, `oclc`, `oclcNumber`, `OCLC Number` or `number`
 * (any case, spaces, `-` and `_` ignored). No column is ever guessed: a header naming no such column, or
 * a file of several columns without a header, is refused (`pickCsvColumn`), because a barcode read as an
 * OCLC number is a real number in WorldCat. A single column without a header is read as it is. Failures are
 * written back as CSV rows under the same header, all columns kept.
 *
 * ```ts
 * const source = csvNumberSource("/data/holdings.csv", { column: "OCLC Number" });
 * ```
 */
import { createReadStream } from "node:fs";
import { countCsvRecords } from "../count.js";
import { type CsvRecord, csvRow, parseCsv } from "../csv.js";
import { createTextSink } from "../file-sink.js";
import type { SourceEntry } from "../item.js";
import type { BatchSource } from "../source.js";
import { sniffTextLayout, type TextLayout } from "../text-input.js";
import { defaultNumberParser, type NumberParser, numberEntry } from "./number-entry.js";

export interface CsvSourceOptions {
  readonly parse?: NumberParser;
  readonly extension?: string;
  /** The input's name as the user knows it, for messages: `holdings.csv line 3, column 2 (ocn): ...`. */
  readonly name?: string;
  /** The column of the numbers: a header name or a number from 1 (`--column`); see `pickCsvColumn`. */
  readonly column?: string;
}

/** The column a CSV's numbers are read from, and how the file is written (encoding, separator). */
export interface CsvColumn {
  readonly layout?: TextLayout;
  /** 0-based. */
  readonly index: number;
  /** The first row is a header (not data). */
  readonly hasHeader: boolean;
  /** For messages and the log: the header's name (`OCLC Number`), else `column 2`. */
  readonly label: string;
}

/** A CSV whose number column cannot be told: what was seen, for the user. */
export class CsvColumnError extends Error {}

const NUMBER_COLUMNS = new Set(["ocn", "oclc", "oclcnumber", "oclcno", "oclc#", "number"]);

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
      readCsvEntries(
        path,
        parse,
        options.name,
        (h) => {
          hasHeader = h;
        },
        options.column,
      ),
    async count() {
      const records = await countCsvRecords(path, await sniffTextLayout(path));
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

/**
 * Which column holds the numbers, from the first row: the one `column` names (a header name, or a number
 * from 1), else the one whose header is a known OCLC-number name. Throws CsvColumnError naming the columns
 * seen when the file does not say (a header without such a name, several columns and no header).
 */
export function pickCsvColumn(
  first: readonly string[],
  column: string | undefined,
  parse: NumberParser = defaultNumberParser,
): CsvColumn {
  const seen = first.map((f) => `'${f.trim()}'`).join(", ");
  const isData = (i: number) => parse(first[i] ?? "") !== undefined;
  const given = column?.trim();
  if (given !== undefined && /^[0-9]+$/.test(given)) {
    const index = Number(given) - 1;
    if (index < 0 || index >= first.length)
      throw new CsvColumnError(`--column ${given}: the file has ${first.length} column(s) (${seen})`);
    const hasHeader = !isData(index);
    return { index, hasHeader, label: hasHeader ? first[index].trim() : `column ${index + 1}` };
  }
  if (given !== undefined && given !== "") {
    const index = first.findIndex((f) => normalise(f) === normalise(given));
    if (index < 0)
      throw new CsvColumnError(`--column '${given}': no such column in the header (columns seen: ${seen})`);
    return { index, hasHeader: true, label: first[index].trim() };
  }
  const named = first.findIndex((f) => NUMBER_COLUMNS.has(normalise(f)));
  if (named >= 0) return { index: named, hasHeader: true, label: first[named].trim() };
  if (first.length === 1 && isData(0)) return { index: 0, hasHeader: false, label: "column 1" };
  const what = first.some((_, i) => isData(i))
    ? `no header naming the OCLC-number column (first row: ${seen})`
    : `no OCLC-number column in the header (columns seen: ${seen})`;
  throw new CsvColumnError(
    `${what}; say which column holds the OCLC numbers with --column NAME or --column NUMBER`,
  );
}

/** The column the numbers of the CSV file at `path` are read from (the first non-blank row decides). */
export async function csvColumnOf(path: string, column?: string, parse?: NumberParser): Promise<CsvColumn> {
  const layout = await sniffTextLayout(path);
  for await (const record of parseCsv(createReadStream(path), layout)) {
    if (isBlank(record)) continue;
    return { ...pickCsvColumn(record.fields, column, parse), layout };
  }
  throw new CsvColumnError("the file has no rows");
}

async function* readCsvEntries(
  path: string,
  parse: NumberParser,
  name: string | undefined,
  onHeader: (hasHeader: boolean) => void,
  chosen: string | undefined,
): AsyncGenerator<SourceEntry<string, CsvRaw>> {
  let column = -1;
  let header: string[] | undefined;
  let position = 0;
  // Comma, semicolon or tab; UTF-8 or UTF-16: as the file is written (text-input.ts).
  for await (const record of parseCsv(createReadStream(path), await sniffTextLayout(path))) {
    if (isBlank(record)) continue;
    if (column < 0) {
      const pick = pickCsvColumn(record.fields, chosen, parse);
      column = pick.index;
      onHeader(pick.hasHeader);
      if (pick.hasHeader) {
        header = record.fields;
        continue;
      }
    }
    position++;
    const raw: CsvRaw = { fields: record.fields, header };
    const where = `${name ? `${name} ` : ""}line ${record.line}`;
    if (record.error) {
      const invalid = name ? `${name} ${record.error}` : record.error;
      yield { position, line: record.line, inputId: record.fields[column]?.trim() ?? "", raw, invalid };
      continue;
    }
    const cell = record.fields[column];
    if (cell === undefined) {
      yield {
        position,
        line: record.line,
        inputId: "",
        raw,
        invalid: `${where}: no column ${column + 1} in this row`,
      };
      continue;
    }
    const heading = header?.[column]?.trim();
    const field = `column ${column + 1}${heading ? ` (${heading})` : ""}`;
    yield numberEntry(position, cell.trim(), raw, `${where}, ${field}`, parse, record.line);
  }
}

function isBlank(record: CsvRecord): boolean {
  return !record.error && record.fields.every((f) => f.trim() === "");
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, "");
}
