/**
 * Input files of the WorldCat scripts: the kind (text, CSV or MARC in any format) is told from the content,
 * and the batch source made to match, with failures written back in the same format.
 */
import { open } from "node:fs/promises";
import type { Writable } from "node:stream";
import {
  type BatchSource,
  CsvColumnError,
  csvColumnOf,
  csvNumberSource,
  marcNumberSource,
  marcRecordSource,
  textNumberSource,
} from "../../batch/index.js";
import { describeLayout, encodingOf, sniffTextLayout } from "../../batch/text-input.js";
import type { PreflightContext, ProcessLog } from "../../engine/script.js";
import { createWriter, detectFormat, type MarcFormat, type MarcRecord, readFile } from "../../marc/index.js";
import { WorldCatScriptError } from "./errors.js";
import { extensionOf } from "./formats.js";

export type InputKind =
  | { readonly kind: "text"; readonly format?: undefined }
  | { readonly kind: "csv"; readonly format?: undefined }
  | { readonly kind: "marc"; readonly format: MarcFormat };

/** Tells text, CSV and MARC apart from the first bytes (a list of numbers is not ISO 2709). */
export async function detectInput(path: string, name?: string): Promise<InputKind> {
  const head = await readHead(path, 512, name);
  const format = detectFormat(head);
  if (format && (format !== "iso2709" || looksLikeLeader(head))) return { kind: "marc", format };
  // UTF-16 (Excel's "Unicode text", Notepad) is decoded before looking for separators.
  const text = new TextDecoder(encodingOf(head).toLowerCase()).decode(head);
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== "" && !l.trim().startsWith("#")) ?? "";
  return /[,;\t]/.test(firstLine.trim()) || path.toLowerCase().endsWith(".csv")
    ? { kind: "csv" }
    : { kind: "text" };
}

/** ISO 2709: a 24-byte leader without line breaks, indicator and subfield-code counts "22" at 10-11. */
function looksLikeLeader(head: Uint8Array): boolean {
  if (head.length < 24) return false;
  const leader = Buffer.from(head.subarray(0, 24)).toString("latin1");
  return !/[\r\n]/.test(leader) && leader.slice(10, 12) === "22";
}

async function readHead(path: string, bytes: number, name?: string): Promise<Uint8Array> {
  const file = await open(path, "r").catch((err: NodeJS.ErrnoException) => {
    throw new WorldCatScriptError(`cannot read the input ${name ?? path}: ${err.code ?? err.message}`);
  });
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await file.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** How a list of numbers is read: `column` picks a CSV's column (`--column`), `log` is told which one. */
export interface NumberInputOptions {
  readonly column?: string;
  readonly log?: ProcessLog;
}

/**
 * Items are OCLC numbers: one per line, a CSV column, or the 001/035 of MARC records. `name` is the input as
 * the user named it (the `--input` value): messages say `numbers.txt line 3: ...`, not the stored path.
 */
export async function numberSource(
  path: string,
  name?: string,
  options: NumberInputOptions = {},
): Promise<BatchSource<string, unknown>> {
  const input = await detectInput(path, name);
  if (input.kind === "text") {
    const { encoding } = await sniffTextLayout(path);
    if (encoding !== "UTF-8") options.log?.info(`reading ${encoding}, one number a line`);
    return textNumberSource(path, { name }) as BatchSource<string, unknown>;
  }
  if (input.kind === "csv") {
    const column = await csvColumnOf(path, options.column).catch((err: unknown) => {
      throw err instanceof CsvColumnError ? new WorldCatScriptError(`${name ?? path}: ${err.message}`) : err;
    });
    // The usual file (UTF-8, commas) says only the column; anything else says how it was read too.
    const layout =
      column.layout && (column.layout.encoding !== "UTF-8" || column.layout.separator !== ",")
        ? `${describeLayout(column.layout)}, `
        : "";
    options.log?.info(
      `reading ${layout}column '${column.label}'${column.hasHeader ? "" : " (the file has no header)"}`,
    );
    return csvNumberSource(path, { name, column: options.column }) as BatchSource<string, unknown>;
  }
  return marcNumberSource(marcOptions(path, input.format, name)) as BatchSource<string, unknown>;
}

/**
 * Before a process exists: a list of numbers that cannot be read as one (a CSV whose number column is not
 * named, an unreadable file) refuses the start, naming what was seen. `inputParam` is the file parameter's
 * key in the values (`input`).
 */
export async function checkNumberInput(ctx: PreflightContext, inputParam = "input"): Promise<void> {
  const name = String(ctx.params[inputParam]);
  const path = ctx.file(name);
  const column = typeof ctx.params.column === "string" ? ctx.params.column : undefined;
  let input: InputKind;
  try {
    input = await detectInput(path, name);
  } catch (err) {
    ctx.refuse("--input", err instanceof Error ? err.message : String(err));
  }
  if (input.kind === "csv") {
    try {
      await csvColumnOf(path, column);
    } catch (err) {
      if (!(err instanceof CsvColumnError)) throw err;
      ctx.refuse(column === undefined ? "--input" : "--column", `${name}: ${err.message}`);
    }
  } else if (column !== undefined) {
    ctx.refuse(
      "--column",
      `--column is for CSV input; ${name} is ${input.kind === "text" ? "a list of numbers, one per line" : "MARC"}`,
    );
  }
}

/** Items are MARC records (any format); returns the format too, for output files. */
export async function recordSource(
  path: string,
  name?: string,
): Promise<{ source: BatchSource<MarcRecord, MarcRecord>; format: MarcFormat }> {
  const input = await detectInput(path, name);
  if (input.kind !== "marc") {
    throw new WorldCatScriptError(
      `${name ?? path}: not a MARC file (ISO 2709, MARCXML, MARC-in-JSON or .mrk) but ${input.kind === "csv" ? "CSV" : "text"}`,
    );
  }
  return { source: marcRecordSource(marcOptions(path, input.format, name)), format: input.format };
}

function marcOptions(path: string, format: MarcFormat, name: string | undefined) {
  return {
    name,
    records: () => readFile(path, { format }),
    openWriter: (out: Writable) => createWriter(format, out),
    extension: extensionOf(format),
  };
}
