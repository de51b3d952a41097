/** Errors of the WorldCat scripts: one base class, typed subclasses carrying where the problem is. */
import { NightshiftError } from "../../errors.js";
import { whereProblem } from "./where-problem.js";

export class WorldCatScriptError extends NightshiftError {
  constructor(message: string, code = "WORLDCAT_SCRIPT") {
    super(message, code);
  }
}

/** One problem of one input record, as validation found it. */
export interface RecordProblem {
  readonly recordNumber: number;
  readonly tag?: string;
  readonly message: string;
}

/** Local validation refused the input: nothing was sent to WorldCat. */
export class InvalidRecordsError extends WorldCatScriptError {
  constructor(
    readonly file: string,
    readonly problems: readonly RecordProblem[],
    readonly invalidRecords: number,
  ) {
    const first = problems[0];
    const where = first ? whereProblem(`record ${first.recordNumber}`, first) : "";
    const more = invalidRecords > 1 ? ` (${invalidRecords} invalid records in all; see the log)` : "";
    super(`${file}: ${where}${more}; nothing was sent to WorldCat`, "INVALID_RECORDS");
  }
}
