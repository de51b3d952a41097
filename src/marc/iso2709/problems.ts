import { MarcReadError, type ReadProblem } from "../codec.js";

/**
 * Collects the problems of the record being read. One instance is reused for every record of a stream
 * (reset per record) so a clean record allocates nothing. Strict mode throws on the first problem.
 */
export class ProblemLog {
  problems: ReadProblem[] | undefined;
  recordNumber = 0;
  /** Absolute stream offset of index 0 of the current buffer. */
  bufferOffset = 0;

  constructor(readonly strict: boolean) {}

  reset(recordNumber: number, bufferOffset: number): void {
    this.recordNumber = recordNumber;
    this.bufferOffset = bufferOffset;
    this.problems = undefined;
  }

  /** Records a problem at buffer index `at` (converted to an absolute byte offset). */
  add(severity: ReadProblem["severity"], message: string, at: number, tag?: string): void {
    const problem: ReadProblem = {
      severity,
      recordNumber: this.recordNumber,
      byteOffset: this.bufferOffset + at,
      message,
      ...(tag === undefined ? {} : { tag }),
    };
    if (this.strict) throw new MarcReadError(problem);
    if (this.problems) this.problems.push(problem);
    else this.problems = [problem];
  }

  take(): readonly ReadProblem[] {
    const out = this.problems ?? NO_PROBLEMS;
    this.problems = undefined;
    return out;
  }
}

const NO_PROBLEMS: readonly ReadProblem[] = Object.freeze([]);
