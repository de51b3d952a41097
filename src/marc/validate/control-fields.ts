/** Formats of the control fields that have one: 005 (date and time) and 008 (fixed-length data elements). */
import { issue, quote, type ValidationIssue } from "./issue.js";
import type { MarcRules } from "./schema.js";

const STAMP_005 = /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})\.[0-9]$/;
const DATE_ENTERED = /^[0-9]{6}$/;
const DATE1 = /^[0-9u| ]{4}$/;

/** 005 is yyyymmddhhmmss.f with a real date (no 31 April, 29 February only in leap years) and time. */
export function check005(value: string, occurrence: number, out: ValidationIssue[]): void {
  const m = STAMP_005.exec(value);
  const ok =
    m !== null &&
    inRange(m[2], 1, 12) &&
    inRange(m[3], 1, daysInMonth(Number(m[1]), Number(m[2]))) &&
    inRange(m[4], 0, 23) &&
    inRange(m[5], 0, 59) &&
    inRange(m[6], 0, 59);
  if (!ok) {
    out.push(
      issue(
        "error",
        "BAD_005",
        `field 005 is ${quote(value)}; expected a real date and time as yyyymmddhhmmss.f (e.g. 20240131235959.0)`,
        "005",
        occurrence,
      ),
    );
  }
}

/** 008 is 40 characters; 008/06 is a type-of-date code; 008/00-05 and 008/07-10 are dates. */
export function check008(value: string, occurrence: number, rules: MarcRules, out: ValidationIssue[]): void {
  if (value.length !== 40) {
    out.push(
      issue(
        "error",
        "BAD_008_LENGTH",
        `field 008 is ${value.length} characters long; it must be 40`,
        "008",
        occurrence,
      ),
    );
  }
  if (value.length > 6 && !rules.dateTypes008.includes(value[6])) {
    out.push(
      issue(
        "error",
        "BAD_008_DATE_TYPE",
        `field 008/06 (type of date) is ${quote(value[6])}; expected one of ${[...rules.dateTypes008].join(", ")}`,
        "008",
        occurrence,
      ),
    );
  }
  if (value.length >= 6 && !DATE_ENTERED.test(value.slice(0, 6))) {
    out.push(
      issue(
        "warning",
        "BAD_008_DATE_ENTERED",
        `field 008/00-05 (date entered on file) is ${quote(value.slice(0, 6))}; expected yymmdd`,
        "008",
        occurrence,
      ),
    );
  }
  if (value.length >= 11 && !DATE1.test(value.slice(7, 11))) {
    out.push(
      issue(
        "warning",
        "BAD_008_DATE1",
        `field 008/07-10 (date 1) is ${quote(value.slice(7, 11))}; expected digits, 'u', '|' or blanks`,
        "008",
        occurrence,
      ),
    );
  }
}

/** 28-31 for months 1-12 (Gregorian leap years); 31 otherwise, the month check reports a bad month. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function inRange(digits: string, min: number, max: number): boolean {
  const n = Number(digits);
  return n >= min && n <= max;
}
