/** What each OCLC operation needs on top of MARC 21 structure (see reference/worldcat-metadata-api.md). */
import {
  allOclcNumbers,
  type FoundOclcNumber,
  isOclcIn035,
  oclcNumberOf,
  parseOclcNumber,
} from "../oclc-number.js";
import type { MarcRecord } from "../record.js";
import { issue, quote, type ValidationIssue, type ValidationProfile, where } from "./issue.js";
import type { TagCounts } from "./tag-counts.js";

type ProfileCheck = (record: MarcRecord, counts: TagCounts, out: ValidationIssue[]) => void;

const BARE_NUMBER = /^[0-9]+$/;

/** Creating a master record: 040 and 008 present (001 is assigned by WorldCat). */
function create(record: MarcRecord, counts: TagCounts, out: ValidationIssue[]): void {
  requireField(counts, "040", "cataloging source", "creating a WorldCat record", out);
  requireField(counts, "008", "fixed-length data elements", "creating a WorldCat record", out);
  const found = oclcNumberOf(record);
  if (found !== undefined) {
    const at = locate(record, found);
    out.push(
      issue(
        "warning",
        "HAS_OCLC_NUMBER",
        `${where(at.tag, at.occurrence, at.subfield)}: the record already has OCLC number ${found.number}; creating it may add a duplicate`,
        at.tag,
        at.occurrence,
        at.subfield,
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

/**
 * Holdings input: a usable OCLC number in 001 or 035 $a. A number only in 035 $z is cancelled or invalid,
 * not the record's own: setting holdings on it could attach them to another record, so it is an error.
 */
function holdings(record: MarcRecord, _counts: TagCounts, out: ValidationIssue[]): void {
  if (oclcNumberOf(record) !== undefined) return;
  const cancelled = allOclcNumbers(record).find((f) => f.source === "035$z");
  if (cancelled === undefined) {
    out.push(
      issue(
        "error",
        "MISSING_OCLC_NUMBER",
        "the record has no OCLC number in 001 (with 003 OCoLC, or ocm/ocn/on) or in 035 $a ((OCoLC), ocm/ocn/on)",
      ),
    );
    return;
  }
  const at = locate(record, cancelled);
  out.push(
    issue(
      "error",
      "CANCELLED_OCLC_NUMBER_ONLY",
      `${where(at.tag, at.occurrence, at.subfield)}: the only OCLC number is ${cancelled.number}, a cancelled or invalid one; holdings need the current number in 001 or 035 $a`,
      at.tag,
      at.occurrence,
      at.subfield,
    ),
  );
}

/** Where a number `allOclcNumbers` found is: 001, or the first 035 (1-based occurrence) with it in $a or $z. */
function locate(
  record: MarcRecord,
  found: FoundOclcNumber,
): { tag: string; occurrence?: number; subfield?: string } {
  if (found.source === "001") return { tag: "001", occurrence: 1 };
  const code = found.source === "035$a" ? "a" : "z";
  let occurrence = 0;
  for (const f of record.fields) {
    if (f.tag !== "035") continue;
    occurrence++;
    if (f.kind !== "data") continue;
    for (const s of f.subfields) {
      if (s.code === code && isOclcIn035(s.value) && parseOclcNumber(s.value) === found.number) {
        return { tag: "035", occurrence, subfield: code };
      }
    }
  }
  return { tag: "035", subfield: code };
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
  lhr: undefined,
});
