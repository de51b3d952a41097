/**
 * The first part of a resumed run: copy the reported rows of the previous run's report into the new one,
 * reading the input in step (to check it is the same input and to write failed items to the new failures
 * file). Streams both: memory stays flat for any number of rows.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import type { Checkpoint } from "../engine/script.js";
import type { BatchCheckpoint } from "./checkpoint.js";
import { parseCsv } from "./csv.js";
import { BatchResumeError } from "./errors.js";
import { isFailure, type SourceEntry } from "./item.js";
import { LEGACY_REPORT_COLUMNS, parseRow, REPORT_COLUMNS, type ReportRow } from "./report.js";

export interface CopyTarget<P, R> {
  row(row: ReportRow): void;
  failure(raw: R): void;
  /** The input's entry of each copied row (the runner notes its number, to flag a later duplicate). */
  entry?(entry: SourceEntry<P, R>): void;
}

/** The report a checkpoint names: what messages call it, and its bytes. */
export interface SavedReport {
  readonly name: string;
  open(): Readable;
}

/**
 * The report of a batch checkpoint: kept with it (version 2, read through the file store on any node), or a
 * local path (version 1, written before reports were kept: a directory every node shares, or this node's).
 */
export function savedReport(checkpoint: Pick<Checkpoint, "read">, cp: BatchCheckpoint): SavedReport {
  if (cp.version === 2 && cp.report !== undefined) {
    const name = cp.report;
    return { name, open: () => checkpoint.read(name) };
  }
  const path = cp.reportPath ?? "";
  return { name: path, open: () => createReadStream(path) };
}

/** Copies every complete row of the saved report; returns how many. */
export async function copyReportedRows<P, R>(
  processId: number,
  report: SavedReport,
  minRows: number,
  entries: AsyncIterator<SourceEntry<P, R>>,
  target: CopyTarget<P, R>,
): Promise<number> {
  try {
    return await copyRows(processId, report, minRows, entries, target);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT" || code === "FILE_MISSING")
      throw new BatchResumeError(processId, `its report ${report.name} is gone`);
    throw err;
  }
}

async function copyRows<P, R>(
  processId: number,
  report: SavedReport,
  minRows: number,
  entries: AsyncIterator<SourceEntry<P, R>>,
  target: CopyTarget<P, R>,
): Promise<number> {
  const reportPath = report.name;
  let rows = 0;
  let header = true;
  for await (const record of parseCsv(report.open())) {
    if (header) {
      header = false;
      const head = record.fields.join(",");
      if (head !== REPORT_COLUMNS.join(",") && head !== LEGACY_REPORT_COLUMNS.join(",")) {
        throw new BatchResumeError(processId, `${reportPath} is not a batch report (header differs)`);
      }
      continue;
    }
    // A row cut short by a crash has no line break after it: it was never reported.
    if (!record.terminated) break;
    const row = parseRow(record.fields);
    if (!row || row.position !== rows + 1) {
      throw new BatchResumeError(
        processId,
        `${reportPath} line ${record.line}: not row ${rows + 1} of a batch report`,
      );
    }
    const next = await entries.next();
    if (next.done) {
      throw new BatchResumeError(
        processId,
        `the input has only ${rows} items but ${row.position} were reported`,
      );
    }
    if (next.value.inputId !== row.inputId) {
      throw new BatchResumeError(
        processId,
        `item ${row.position} of the input is ${JSON.stringify(next.value.inputId)} but was ` +
          `${JSON.stringify(row.inputId)}: resume with the same input file`,
      );
    }
    // A row from an older report gets its line from the input, read in step.
    target.row(
      row.line === undefined && next.value.line !== undefined ? { ...row, line: next.value.line } : row,
    );
    target.entry?.(next.value);
    if (isFailure(row.outcome)) target.failure(next.value.raw);
    rows++;
  }
  if (rows < minRows) {
    throw new BatchResumeError(
      processId,
      `${reportPath} has ${rows} rows but its checkpoint says ${minRows}`,
    );
  }
  return rows;
}
