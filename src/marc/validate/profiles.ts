/** What each OCLC operation needs on top of MARC 21 structure (see reference/worldcat-metadata-api.md). */
import { oclcNumberOf, parseOclcNumber } from "../oclc-number.js";
import type { MarcRecord } from "../record.js";
import { issue, quote, type ValidationIssue, type ValidationProfile } from "./issue.js";
import type { TagCounts } from "./tag-counts.js";

type ProfileCheck = (record: MarcRecord, counts: TagCounts, out: ValidationIssue[]) => void;

const BARE_NUMBER = /^[0-9]+$/;

/** Creating a master record: 040 and 008 present (001 is assigned by WorldCat). */
function create(record: MarcRecord, counts: TagCounts, out: ValidationIssue[]): void {
  requireField(counts, "040", "cataloging source", "creating a WorldCat record", out);
  requireField(counts, "008", "fixed-length data elements", "creating a WorldCat record", out);
  const found = oclcNumberOf(record);
  if (found !== undefined && found.source !== "035$z") {
    out.push(
      issue(
        "warning",
        "HAS_OCLC_NUMBER",
        `the record already has OCLC number ${found.number} (in ${found.source}); creating it may add a duplicate`,
        found.source.slice(0, 3),
      ),
    );
  }
}

/** Replacing a master record: 001 holds the OCLC number as bare digits, 005 is present (WorldCat's current one). */
function replace(record: MarcRecord, counts: TagCounts, out: ValidationIssue[]): void {
  const value = record.controlValue("001");
  if (value === undefined) {
    out.push(
      issue(
        "error",
        "MISSING_001",
        "the record has no field 001; a replace needs the OCLC number there",
        "001",
      ),
    );
  } else if (!BARE_NUMBER.test(value) || parseOclcNumber(value) === undefined) {
    const hint = parseOclcNumber(value);
    out.push(
      issue(
        "error",
        "BAD_001",
        `field 001 is ${quote(value)}; a replace needs the OCLC number as bare digits${hint ? ` ("${hint}")` : ""}`,
        "001",
        1,
      ),
    );
  }
  requireField(counts, "005", "date and time of latest transaction", "replacing a WorldCat record", out);
}

/** Local bibliographic data: 004 holds the master record's OCLC number; 935 and 940 are present. */
function lbd(record: MarcRecord, counts: TagCounts, out: ValidationIssue[]): void {
  const value = record.controlValue("004");
  if (value === undefined) {
    out.push(
      issue("error", "MISSING_004", "the record has no field 004 (OCLC number of the master record)", "004"),
    );
  } else if (parseOclcNumber(value) === undefined) {
    out.push(issue("error", "BAD_004", `field 004 is ${quote(value)}; it must be an OCLC number`, "004", 1));
  }
  requireField(counts, "935", "unique local identifier", "local bibliographic data", out);
  requireField(counts, "940", "institution symbol", "local bibliographic data", out);
}

/** Holdings input: a usable OCLC number in 001 or 035. */
function holdings(record: MarcRecord, _counts: TagCounts, out: ValidationIssue[]): void {
  const found = oclcNumberOf(record);
  if (found === undefined) {
    out.push(
      issue(
        "error",
        "MISSING_OCLC_NUMBER",
        "the record has no OCLC number in 001 (with 003 OCoLC, or ocm/ocn/on) or in 035 $a (OCoLC)",
      ),
    );
  } else if (found.source === "035$z") {
    out.push(
      issue(
        "warning",
        "CANCELLED_OCLC_NUMBER_ONLY",
        `the only OCLC number is ${found.number} in 035 $z (cancelled or invalid); it may not resolve`,
        "035",
        undefined,
        "z",
      ),
    );
  }
}

function requireField(
  counts: TagCounts,
  tag: string,
  label: string,
  purpose: string,
  out: ValidationIssue[],
): void {
  if (!counts.has(tag)) {
    out.push(
      issue(
        "error",
        `MISSING_${tag}`,
        `the record has no field ${tag} (${label}), needed for ${purpose}`,
        tag,
      ),
    );
  }
}

export const PROFILE_CHECKS: Readonly<Record<ValidationProfile, ProfileCheck | undefined>> = Object.freeze({
  structure: undefined,
  create,
  replace,
  lbd,
  holdings,
});
