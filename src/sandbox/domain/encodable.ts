/**
 * Every record WorldCat keeps can be served in both of its record formats, MARCXML and ISO 2709
 * (`application/marc`). A record past ISO 2709's limits (9,999-byte fields, 99,999-byte records) is refused
 * when it is sent, not found out later as a server error when someone asks for it as `application/marc`.
 */
import { encodeIso2709, MarcWriteError } from "../../marc/iso2709-writer.js";
import type { MarcRecord } from "../../marc/record.js";
import { RecordInvalidError, type SandboxValidationError } from "../errors.js";

/** The reason `record` cannot be written as ISO 2709, as a validation problem; undefined when it can. */
export function encodingProblem(record: MarcRecord): SandboxValidationError | undefined {
  try {
    encodeIso2709(record);
    return undefined;
  } catch (err) {
    if (!(err instanceof MarcWriteError)) throw err;
    return {
      severity: "error",
      code: "NOT_ENCODABLE",
      ...(err.tag ? { tag: err.tag } : {}),
      message: `the record cannot be kept as MARC 21 (ISO 2709): ${err.tag ? `field ${err.tag}: ` : ""}${err.reason}`,
    };
  }
}

/** Throws the 400 of an invalid record when `record` (as it would be stored) cannot be written as ISO 2709. */
export function requireEncodable(record: MarcRecord): MarcRecord {
  const problem = encodingProblem(record);
  if (problem) throw new RecordInvalidError([problem]);
  return record;
}
