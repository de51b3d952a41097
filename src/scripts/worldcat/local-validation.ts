/**
 * Local validation before anything is sent: every record of the input is read and validated under the
 * OCLC profile of the operation; `validateInput` throws InvalidRecordsError (record number and field)
 * when any record has an error, so a batch never stops half-way over a record it could have refused first.
 */

import type { ProcessLog } from "../../engine/script.js";
import {
  type MarcFormat,
  type MarcRecord,
  parseOclcNumber,
  readFile,
  type ValidationProfile,
  validate,
} from "../../marc/index.js";
import { InvalidRecordsError, type RecordProblem } from "./errors.js";
import { whereProblem } from "./where-problem.js";

/** The errors of one record under `profile` (warnings left out), with the lenience WorldCat 2.0 shows. */
export function recordErrors(
  record: MarcRecord,
  profile: ValidationProfile,
): { tag?: string; message: string }[] {
  // Metadata API 2.0 hands out and takes back 001 as ocm/ocn/on: only the first API needs bare digits.
  const lenient001 = parseOclcNumber(record.controlValue("001") ?? "") !== undefined;
  return validate(record, profile)
    .filter((i) => i.severity === "error" && !(lenient001 && i.code === "BAD_001"))
    .map((i) => ({ tag: i.tag, message: i.message }));
}

const MAX_LOGGED = 50;

/** Reads the whole input once; throws when any record is unreadable or invalid. Returns the record count. */
export async function validateInput(
  path: string,
  displayName: string,
  format: MarcFormat,
  profile: ValidationProfile,
  log: ProcessLog,
  signal: AbortSignal,
  prepare: (record: MarcRecord) => MarcRecord = (r) => r,
): Promise<number> {
  const problems: RecordProblem[] = [];
  let invalid = 0;
  let records = 0;
  for await (const item of readFile(path, { format })) {
    signal.throwIfAborted();
    records++;
    const found: RecordProblem[] = [
      ...item.problems
        .filter((p) => p.severity === "error")
        .map((p) => ({ recordNumber: item.recordNumber, tag: p.tag, message: p.message })),
      ...recordErrors(prepare(item.record), profile).map((p) => ({ recordNumber: item.recordNumber, ...p })),
    ];
    if (found.length === 0) continue;
    invalid++;
    for (const p of found) {
      if (problems.length < MAX_LOGGED)
        log.error(`${displayName}: ${whereProblem(`record ${p.recordNumber}`, p)}`);
      problems.push(p);
      if (problems.length > MAX_LOGGED) problems.pop();
    }
  }
  if (invalid > 0) throw new InvalidRecordsError(displayName, problems, invalid);
  log.info(`${displayName}: ${records} record(s) valid for ${profile}`);
  return records;
}
