/**
 * RFC 4180 CSV: writing rows and a streaming, forgiving parser (records with their starting line number).
 *
 * ```ts
 * csvRow(["a", "b,c", 'say "hi"']) // 'a,"b,c","say ""hi"""\r\n'
 * for await (const rec of parseCsv(stream)) rec.fields; rec.line;
 * ```
 */

/** One CSV record: its fields, the physical line it starts on, and a problem when it is malformed. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
  /** False only for a last record without a line break after it (e.g. cut short by a crash). */
  readonly terminated: boolean;
  readonly error?: string;
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One CSV line, CRLF-terminated, quoting fields that need it. */
export function csvRow(fields: readonly string[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * A cell a spreadsheet would not run as a formula: Excel and LibreOffice evaluate a cell starting with
 * `=`, `+`, `-`, `@` (or a tab or CR before one), so a garbage input line or an echoed message could run a
 * formula (CSV injection). Such a cell gets a leading `'`, shown as text; `readSpreadsheetSafe` undoes it
 * exactly (a value that already starts with quotes before one of those characters gets one more).
 */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function readSpreadsheetSafe(cell: string): string {
  return FORMULA_START.test(cell) && cell.startsWith("'") ? cell.slice(1) : cell;
}

const FORMULA_START = /^'*[=+\-@\t\r]/;

/** A field longer than this is taken for a quote that never closes; the parser resynchronises at a line break. */
const MAX_FIELD = 1 << 20;

/** Incremental parser: push text chunks, take records; `end()` flushes the last one. */
export class CsvParser {
  /** `separator`: `,` (RFC 4180), or `;` or a tab as spreadsheets write them in some locales. */
  constructor(private readonly separator: string = ",") {}

  private fields: string[] = [];
  private field = "";
  private quoted = false;
  private afterQuote = false;
  private line = 1;
  private recordLine = 1;
  private started = false;
  private first = true;
  private error: string | undefined;
  private skipToNewline = false;

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let i = 0;
    if (this.first && chunk.length > 0) {
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    for (; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === "\n") this.line++;
      if (this.skipToNewline) {
        if (c === "\n") this.finishRecord(out, true);
        continue;
      }
      if (this.quoted) {
        if (c === '"') {
          if (chunk[i + 1] === '"') {
            this.field += '"';
            i++;
          } else {
            // At a chunk edge this may be the first of an escaped pair: the next chunk decides.
            this.quoted = false;
            this.afterQuote = true;
          }
        } else {
          this.field += c;
          if (this.field.length > MAX_FIELD) this.runaway();
        }
        continue;
      }
      if (this.afterQuote && c === '"') {
        // The closing quote was the first of an escaped pair split across chunks.
        this.field += '"';
        this.quoted = true;
        this.afterQuote = false;
        continue;
      }
      this.afterQuote = false;
      if (c === this.separator) {
        this.started = true;
        this.fields.push(this.field);
        this.field = "";
      } else if (c === "\n") {
        this.finishRecord(out, true);
      } else if (c === "\r") {
        if (chunk[i + 1] !== "\n" && i + 1 < chunk.length) this.field += c;
      } else if (c === '"' && this.field === "") {
        this.started = true;
        this.quoted = true;
      } else {
        this.started = true;
        this.field += c;
      }
    }
    return out;
  }

  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.quoted) this.error ??= `line ${this.recordLine}: quoted field never closed`;
    if (this.started || this.field !== "" || this.fields.length > 0 || this.error)
      this.finishRecord(out, false);
    return out;
  }

  private runaway(): void {
    this.error = `line ${this.recordLine}: field longer than ${MAX_FIELD} characters (a quote that never closes?)`;
    this.quoted = false;
    this.skipToNewline = true;
    this.field = "";
  }

  private finishRecord(out: CsvRecord[], terminated: boolean): void {
    this.fields.push(this.field);
    const blank = !this.started && this.fields.length === 1 && this.fields[0] === "";
    if (!blank || this.error) {
      out.push({ fields: this.fields, line: this.recordLine, terminated, error: this.error });
    }
    this.fields = [];
    this.field = "";
    this.started = false;
    this.error = undefined;
    this.skipToNewline = false;
    this.recordLine = this.line;
  }
}

/**
 * Streams the records of a CSV text stream (blank lines skipped). Bytes are read as UTF-8 unless
 * `encoding` says otherwise (see text-input.ts, which tells a file's encoding and separator).
 */
export async function* parseCsv(
  input: AsyncIterable<string | Uint8Array>,
  options: { separator?: string; encoding?: string } = {},
): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(options.separator);
  const decoder = new TextDecoder((options.encoding ?? "utf-8").toLowerCase());
  for await (const chunk of input) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    yield* parser.push(text);
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
