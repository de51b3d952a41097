/**
 * The first part of a resumed run: copy the reported rows of the previous run's report into the new one,
 * reading the input in step (to check it is the same input and to write failed items to the new failures
 * file). Streams both: memory stays flat for any number of rows.
 */
import { createReadStream, existsSync } from "node:fs";
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

/** Copies every complete row of `reportPath`; returns how many. */
export async function copyReportedRows<P, R>(
  processId: number,
  reportPath: string,
  minRows: number,
  entries: AsyncIterator<SourceEntry<P, R>>,
  target: CopyTarget<P, R>,
): Promise<number> {
  if (!existsSync(reportPath)) throw new BatchResumeError(processId, `its report ${reportPath} is gone`);
  let rows = 0;
  let header = true;
  for await (const record of parseCsv(createReadStream(reportPath))) {
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
