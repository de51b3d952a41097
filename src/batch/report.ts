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

/**
 * `line` is where the item is in the input file (its line, blank lines and comments counted, or its record
 * number in a MARC file), so a row can be found in the file it came from; `error_code` is OCLC's code or
 * Nightshift's (`INVALID_INPUT`, `DUPLICATE`, `NOT_FOUND`).
 */
export const REPORT_COLUMNS = [
  "position",
  "line",
  "input_id",
  "oclc_number_requested",
  "oclc_number_current",
  "action",
  "outcome",
  "error_code",
  "message",
] as const;

/** The columns of reports written before `line` and `error_code` (a resume may copy from one). */
export const LEGACY_REPORT_COLUMNS = [
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
  /** Line (text, CSV) or record number (MARC) in the input file; undefined when the source does not say. */
  readonly line?: number;
  readonly inputId: string;
  readonly requested: string;
  readonly current: string;
  readonly action: string;
  readonly outcome: Outcome;
  readonly errorCode: string;
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
  line: number | undefined,
  inputId: string,
  oclcNumber: string | undefined,
  result: ItemResult,
  defaultAction: string,
): ReportRow {
  return {
    position,
    line,
    inputId,
    requested: result.requested ?? oclcNumber ?? "",
    current: result.current ?? "",
    action: result.action ?? defaultAction,
    outcome: result.outcome,
    errorCode: result.oclcCode ?? "",
    message: result.message ?? "",
  };
}

/** The row's cells; text cells made safe to open in a spreadsheet (see csv.ts `spreadsheetSafe`). */
export function rowFields(r: ReportRow): string[] {
  const text = [r.inputId, r.requested, r.current, r.action].map(spreadsheetSafe);
  return [
    String(r.position),
    r.line === undefined ? "" : String(r.line),
    ...text,
    r.outcome,
    spreadsheetSafe(r.errorCode),
    spreadsheetSafe(r.message),
  ];
}

/** Reads back a row written by this module (or an older one, without `line`); undefined when not a row. */
export function parseRow(fields: readonly string[]): ReportRow | undefined {
  const legacy = fields.length === LEGACY_REPORT_COLUMNS.length;
  if (!legacy && fields.length !== REPORT_COLUMNS.length) return undefined;
  const [position, line, inputId, requested, current, action, outcome, errorCode, message] = legacy
    ? [fields[0], "", ...fields.slice(1)]
    : fields;
  if (!/^[1-9][0-9]*$/.test(position) || !OUTCOMES.includes(outcome as Outcome)) return undefined;
  if (line !== "" && !/^[1-9][0-9]*$/.test(line)) return undefined;
  return {
    position: Number(position),
    line: line === "" ? undefined : Number(line),
    inputId: readSpreadsheetSafe(inputId),
    requested: readSpreadsheetSafe(requested),
    current: readSpreadsheetSafe(current),
    action: readSpreadsheetSafe(action),
    outcome: outcome as Outcome,
    errorCode: readSpreadsheetSafe(errorCode),
    message: readSpreadsheetSafe(message),
  };
}
