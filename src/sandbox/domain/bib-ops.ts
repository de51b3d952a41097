/**
 * Master record operations shared by both APIs: read, create (new number, 001/003/005/035), replace
 * (001 + current 005 or conflict), current numbers.
 */
import { formatOclcNumber, parseOclcNumber } from "../../marc/oclc-number.js";
import { controlField, dataField, type MarcRecord, subfieldValues } from "../../marc/record.js";
import { BadRequestError, ConflictError, NotFoundError, RecordInvalidError } from "../errors.js";
import type { SandboxState } from "../state.js";
import { requireEncodable } from "./encodable.js";
import { fingerprint } from "./fingerprint.js";
import { errorsOnly, validateBib } from "./validate-bib.js";

/** Parses an OCLC number from a path or query; 400 when it is not one. */
export function requireOcn(text: string, what = "OCLC number"): number {
  let decoded: string | undefined;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // A malformed percent-escape ("%ZZ") is a bad number like any other, not a server error.
  }
  const n = decoded === undefined ? undefined : parseOclcNumber(decoded);
  if (n === undefined || n.length > 15) throw new BadRequestError(`Invalid ${what}: '${text}'`);
  return Number(n);
}

export function readBib(state: SandboxState, ocn: number): { ocn: number; record: MarcRecord } {
  const found = state.bibs.get(ocn);
  if (!found) throw new NotFoundError(`The requested record ${ocn} was not found`);
  return found;
}

/** Writes the WorldCat-managed fields: 001 (OCLC style), 003, a fresh 005, and (OCoLC) first in 035. */
function stamp(record: MarcRecord, ocn: number, f005: string): MarcRecord {
  const others = record
    .getFields("035")
    .filter((f) => !subfieldValues(f, "a").some((v) => /^\(ocolc\)/i.test(v.trim())));
  return record
    .removeFields("001", "003", "005")
    .replaceFields("035", dataField("035", " ", " ", [["a", `(OCoLC)${ocn}`]]), ...others)
    .addOrderedField(controlField("005", f005))
    .addOrderedField(controlField("003", "OCoLC"))
    .addOrderedField(controlField("001", formatOclcNumber(String(ocn), "ocm")));
}

export function createBib(state: SandboxState, record: MarcRecord): { ocn: number; record: MarcRecord } {
  const errors = errorsOnly(validateBib(record, "add"));
  if (errors.length > 0) throw new RecordInvalidError(errors);
  // Checked with a number of the longest kind before one is taken: a refused create uses up no number.
  requireEncodable(stamp(record, 9_999_999_999, "00000000000000.0"));
  const ocn = state.bibs.allocate();
  const stored = stamp(record, ocn, state.stamper.next());
  state.bibs.put(ocn, stored);
  state.creations.push({ ocn, fingerprint: fingerprint(record), at: state.now() });
  return { ocn, record: stored };
}

/**
 * Replaces a master record. `pathOcn` (2.0) must agree with 001; 005 must equal the stored 005.
 * `strict001`: the first API wants bare digits in 001.
 */
export function replaceBib(
  state: SandboxState,
  record: MarcRecord,
  pathOcn: number | undefined,
  strict001: boolean,
): { ocn: number; record: MarcRecord } {
  const errors = errorsOnly(validateBib(record, "replace", strict001));
  if (errors.length > 0) throw new RecordInvalidError(errors);
  const ocn = Number(parseOclcNumber(record.controlValue("001") ?? ""));
  if (pathOcn !== undefined && pathOcn !== ocn)
    throw new BadRequestError(
      `001 holds ${ocn} but the request is for ${pathOcn}`,
      "BAD_REQUEST",
      "Bad Request",
    );
  const current = readBib(state, ocn);
  if (current.ocn !== ocn)
    throw new ConflictError(
      `OCLC number ${ocn} was merged into ${current.ocn}; replace ${current.ocn} instead`,
    );
  const have = current.record.controlValue("005");
  const sent = record.controlValue("005");
  if (have !== sent)
    throw new ConflictError(
      `The record has been changed since it was read: 005 is ${have}, the request has ${sent}. Read it again.`,
    );
  const stored = requireEncodable(stamp(record, ocn, state.stamper.next()));
  state.bibs.put(ocn, stored);
  return { ocn, record: stored };
}

/** Current numbers of up to 10 numbers; unknown numbers are left out. */
export function currentNumbers(
  state: SandboxState,
  list: string | null,
): { requested: string; current: string }[] {
  const items = parseNumberList(list, "oclcNumbers");
  const out: { requested: string; current: string }[] = [];
  for (const { text, ocn } of items) {
    const cur = state.bibs.current(ocn);
    if (cur !== undefined) out.push({ requested: text, current: String(cur) });
  }
  return out;
}

/** "a,b,c" -> numbers; 400 when missing, more than 10, or not numbers. */
export function parseNumberList(list: string | null, name: string): { text: string; ocn: number }[] {
  if (!list) throw new BadRequestError(`Required parameter '${name}' is missing`);
  const parts = list
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (parts.length === 0) throw new BadRequestError(`Required parameter '${name}' is missing`);
  if (parts.length > 10) throw new BadRequestError(`'${name}' takes at most 10 numbers; got ${parts.length}`);
  return parts.map((text) => ({ text, ocn: requireOcn(text) }));
}
