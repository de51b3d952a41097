/** Errors of the batch engine: one base class, typed subclasses carrying where the problem is. */
import { NightshiftError } from "../errors.js";

export class BatchError extends NightshiftError {}

/** A batch cannot be resumed from the named process (no report, different input, corrupt checkpoint). */
export class BatchResumeError extends BatchError {
  constructor(
    readonly processId: number,
    readonly detail: string,
  ) {
    super(`cannot resume process ${processId}: ${detail}`, "BATCH_RESUME");
  }
}

/** An input file cannot be read at all (as opposed to a bad line, which becomes a failed item). */
export class BatchInputError extends BatchError {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`, "BATCH_INPUT");
  }
}
