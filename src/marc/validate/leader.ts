/** Leader checks: length 24, the coded positions, the numeric ones, and the fixed entry map "4500". */
import { issue, quote, type ValidationIssue } from "./issue.js";
import type { MarcRules } from "./schema.js";

const LABELS: Readonly<Record<number, string>> = {
  5: "record status",
  6: "type of record",
  7: "bibliographic level",
  8: "type of control",
  9: "character coding scheme",
  10: "indicator count",
  11: "subfield code count",
  17: "encoding level",
  18: "descriptive cataloging form",
  19: "multipart resource record level",
};

// OCLC-defined encoding levels, valid in WorldCat records besides the MARC 21 ones.
const OCLC_ENCODING_LEVELS = "IJKLM";
const CODED_POSITIONS = [5, 6, 7, 8, 9, 10, 11, 17, 18, 19];
const DIGITS = /^[0-9]+$/;
const BLANKS = /^ +$/;

/**
 * Appends the Leader's issues to `out`. `blankTypeAndLevel` also accepts blanks in Leader/06 and /07, as
 * OCLC's local bibliographic data records have them.
 */
export function checkLeader(
  leader: string,
  rules: MarcRules,
  blankTypeAndLevel: boolean,
  out: ValidationIssue[],
): void {
  if (leader.length !== 24) {
    out.push(
      issue("error", "LEADER_LENGTH", `Leader is ${leader.length} characters long; it must be 24`, "LDR"),
    );
  }
  checkNumber(leader, 0, 5, "record length", "warning", undefined, out);
  for (const pos of CODED_POSITIONS) {
    if (pos >= leader.length) break;
    let allowed = rules.leader.get(pos) ?? "";
    if (pos === 17) allowed += OCLC_ENCODING_LEVELS;
    if (blankTypeAndLevel && (pos === 6 || pos === 7)) allowed += " ";
    const ch = leader[pos];
    if (!allowed.includes(ch)) {
      const list = [...allowed].map((c) => (c === " " ? "blank" : c)).join(", ");
      out.push(
        issue(
          "error",
          "LEADER_POSITION",
          `Leader/${pad(pos)} (${LABELS[pos]}) is ${quote(ch)}; expected one of ${list}`,
          "LDR",
        ),
      );
    }
  }
  checkNumber(leader, 12, 17, "base address of data", "error", "warning", out);
  const entryMap = leader.slice(20, 24);
  if (leader.length >= 24 && entryMap !== "4500") {
    out.push(
      issue(
        "error",
        "LEADER_POSITION",
        `Leader/20-23 (entry map) is ${quote(entryMap)}; it must be "4500"`,
        "LDR",
      ),
    );
  }
}

/**
 * Digits required. All blanks get `blankSeverity` (none when undefined): MARCXML often leaves lengths blank
 * and writers recompute them anyway.
 */
function checkNumber(
  leader: string,
  from: number,
  to: number,
  label: string,
  severity: ValidationIssue["severity"],
  blankSeverity: ValidationIssue["severity"] | undefined,
  out: ValidationIssue[],
): void {
  const value = leader.slice(from, to);
  if (value.length < to - from || DIGITS.test(value)) return;
  const blank = BLANKS.test(value);
  if (blank && blankSeverity === undefined) return;
  out.push(
    issue(
      blank ? (blankSeverity ?? severity) : severity,
      "LEADER_POSITION",
      `Leader/${pad(from)}-${pad(to - 1)} (${label}) is ${quote(value)}; it must be digits`,
      "LDR",
    ),
  );
}

function pad(n: number): string {
  return n.toString().padStart(2, "0");
}
