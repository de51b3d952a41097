/** MARC records as WorldCat request and response bodies (MARCXML; Atom-wrapped for the first API). */

import { parseMarcXmlString, recordToMarcXml } from "../marc/marcxml-string.js";
import { oclcNumberOf, parseOclcNumber } from "../marc/oclc-number.js";
import type { MarcRecord } from "../marc/record.js";
import { parseErrorBody } from "./error-body.js";
import { WorldCatError } from "./errors.js";

/** Metadata API 2.0 record media type. */
export const MARCXML_2 = "application/marcxml+xml";
/** The first API's record media type. */
export const MARCXML_FIRST = "application/vnd.oclc.marc21+xml";

/** A record as a MARCXML document (declaration, MARC21 slim namespace). */
export function marcBody(record: MarcRecord): string {
  return recordToMarcXml(record, { declaration: true, namespace: true });
}

/**
 * The first record in a response body (bare MARCXML or wrapped in an Atom entry). When there is none, the
 * body's own error (`oclc:error`) becomes a WorldCatError.
 */
export function recordFromBody(body: string, what: string, status = 200): MarcRecord {
  let records: MarcRecord[] = [];
  let problem: string | undefined;
  try {
    records = parseMarcXmlString(body);
  } catch (err) {
    problem = (err as Error).message;
  }
  if (records[0]) return records[0];
  const parsed = parseErrorBody(body);
  throw new WorldCatError({
    status,
    oclcCode: parsed.oclcCode,
    message: parsed.oclcCode
      ? (parsed.message ?? what)
      : `${what}: no MARC record in the response${problem ? ` (${problem})` : ""}`,
    validationErrors: parsed.validationErrors,
  });
}

/** Normalises an OCLC number given in any form; throws a WorldCatError naming the bad value. */
export function ocnOf(value: string | number): string {
  const n = parseOclcNumber(String(value));
  if (n === undefined)
    throw new WorldCatError(
      { message: `not an OCLC number: ${JSON.stringify(String(value))}` },
      "WORLDCAT_BAD_INPUT",
    );
  return n;
}

/** The OCLC number a record carries (001, else 035 $a), required for replace. */
export function ocnOfRecord(record: MarcRecord, what: string): string {
  const found = oclcNumberOf(record);
  if (!found)
    throw new WorldCatError(
      { message: `${what}: the record has no OCLC number in 001 or 035` },
      "WORLDCAT_BAD_INPUT",
    );
  return found.number;
}
