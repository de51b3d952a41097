/**
 * report.csv: one row per item in input order. UTF-8 with a byte order mark, because Excel (the tool most
 * people open reports with) reads a CSV without one as the local code page and garbles accented titles and
 * names; every other CSV reader skips the mark. CRLF line ends and quoting per RFC 4180.
 *
 * Rows are written synchronously when the runner reports them, so after a crash the file holds exactly the
 * rows reported (resume relies on this).
 */
import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { csvRow, readSpreadsheetSafe, spreadsheetSafe } from "./csv.js";
import { type ItemResult, OUTCOMES, type Outcome } from "./item.js";

export const REPORT_COLUMNS = [
  "position",
  "input_id",
  "oclc_number_requested",
  "oclc_number_current",
  "action",
  "outcome",
  "oclc_code",
  "message",
] as const;

export interface ReportRow {
  readonly position: number;
  readonly inputId: string;
  readonly requested: string;
  readonly current: string;
  readonly action: string;
  readonly outcome: Outcome;
  readonly oclcCode: string;
  readonly message: string;
}

export const BOM = "\uFEFF";

export interface ReportWriter {
  add(row: ReportRow): void;
  /** Writes the rows added since the last flush. */
  flush(): void;
  /**
   * Forces what was written onto the disk (before a checkpoint says those rows are reported: a power loss
   * must not leave a checkpoint ahead of its report). Nothing once closed.
   */
  sync(): void;
  /** Flushes, syncs and closes. */
  close(): void;
}

export function createReportWriter(path: string): ReportWriter {
  const fd = openSync(path, "w");
  writeSync(fd, BOM + csvRow(REPORT_COLUMNS));
  let pending = "";
  let closed = false;
  return {
    add(row) {
      pending += csvRow(rowFields(row));
    },
    flush() {
      if (pending === "") return;
      writeSync(fd, pending);
      pending = "";
    },
    sync() {
      if (!closed) fsyncSync(fd);
    },
    close() {
      if (closed) return;
      this.flush();
      fsyncSync(fd);
      closeSync(fd);
      closed = true;
    },
  };
}

/** The row for an item's result; `requested` defaults to the number the input named. */
export function reportRow(
  position: number,
  inputId: string,
  oclcNumber: string | undefined,
  result: ItemResult,
  defaultAction: string,
): ReportRow {
  return {
    position,
    inputId,
    requested: result.requested ?? oclcNumber ?? "",
    current: result.current ?? "",
    action: result.action ?? defaultAction,
    outcome: result.outcome,
    oclcCode: result.oclcCode ?? "",
    message: result.message ?? "",
  };
}

/** The row's cells; text cells made safe to open in a spreadsheet (see csv.ts `spreadsheetSafe`). */
export function rowFields(r: ReportRow): string[] {
  const text = [r.inputId, r.requested, r.current, r.action].map(spreadsheetSafe);
  return [String(r.position), ...text, r.outcome, spreadsheetSafe(r.oclcCode), spreadsheetSafe(r.message)];
}

/** Reads back a row written by this module; undefined when the cells do not make a row. */
export function parseRow(fields: readonly string[]): ReportRow | undefined {
  if (fields.length !== REPORT_COLUMNS.length) return undefined;
  const [position, inputId, requested, current, action, outcome, oclcCode, message] = fields;
  if (!/^[1-9][0-9]*$/.test(position) || !OUTCOMES.includes(outcome as Outcome)) return undefined;
  return {
    position: Number(position),
    inputId: readSpreadsheetSafe(inputId),
    requested: readSpreadsheetSafe(requested),
    current: readSpreadsheetSafe(current),
    action: readSpreadsheetSafe(action),
    outcome: outcome as Outcome,
    oclcCode: readSpreadsheetSafe(oclcCode),
    message: readSpreadsheetSafe(message),
  };
}
