/**
 * The coded positions of the fixed-length fields: 006, 007 and 008/18-34 (whose meaning depends on the
 * material: Leader/06-07 for 008, 006/00 for 006, 007/00 for 007).
 *
 * A code that is not allowed is a warning (real records carry obsolete codes; a batch must not refuse them);
 * a field whose kind cannot be told (006/00, 007/00), a 006 that is not 18 characters and a 007 too short for
 * its category are errors. Positions past the end of a short field are not checked.
 */

import type { FixedFieldRules, FixedPosition } from "./fixed-schema.js";
import { issue, quote, type ValidationIssue } from "./issue.js";

/** 008/18-34 against the material that Leader/06 (type of record) and Leader/07 (bibliographic level) select. */
export function check008Material(
  value: string,
  leader: string,
  occurrence: number,
  rules: FixedFieldRules,
  out: ValidationIssue[],
): void {
  const type = leader[6];
  let material = type === undefined ? undefined : rules.materialOfType.get(type);
  // Leader/06 "s" is no record type: it names continuing resources only in 006/00.
  if (material === undefined || type === "s") return;
  if (material === "b" && leader.length > 7 && rules.continuingLevels.includes(leader[7])) material = "s";
  const positions = rules.material008.get(material);
  if (positions !== undefined) checkPositions("008", value, occurrence, positions, "BAD_008_CODE", out);
}

/** 006: 18 characters; 006/00 names the form of material, which gives 006/01-17 their meaning. */
export function check006(
  value: string,
  occurrence: number,
  rules: FixedFieldRules,
  out: ValidationIssue[],
): void {
  if (value.length !== 18) {
    out.push(
      // A warning: a cut-short 006 is common in real files, and an error would stop a whole batch.
      issue(
        "warning",
        "BAD_006_LENGTH",
        `${at("006", occurrence)} is ${chars(value.length)} long; it must be 18`,
        "006",
        occurrence,
      ),
    );
  }
  const positions = rules.form006.get(value[0]);
  if (positions === undefined) {
    out.push(
      issue(
        "error",
        "BAD_006_FORM",
        `${at("006/00", occurrence)} (form of material) is ${quote(value.slice(0, 1))}; expected one of ${rules.forms006}`,
        "006",
        occurrence,
      ),
    );
    return;
  }
  checkPositions("006", value, occurrence, positions, "BAD_006_CODE", out);
}

/** 007: 007/00 names the category of material, which gives the other positions and the length. */
export function check007(
  value: string,
  occurrence: number,
  rules: FixedFieldRules,
  out: ValidationIssue[],
): void {
  const category = rules.category007.get(value[0]);
  if (category === undefined) {
    out.push(
      issue(
        "error",
        "BAD_007_CATEGORY",
        `${at("007/00", occurrence)} (category of material) is ${quote(value.slice(0, 1))}; expected one of ${rules.categories007}`,
        "007",
        occurrence,
      ),
    );
    return;
  }
  if (value.length < category.minLength) {
    out.push(
      // A warning: many records stop a 007 early (the last positions are rarely coded).
      issue(
        "warning",
        "BAD_007_LENGTH",
        `${at("007", occurrence)} (${category.label}) is ${chars(value.length)} long; it must be at least ${category.minLength}`,
        "007",
        occurrence,
      ),
    );
  }
  checkPositions("007", value, occurrence, category.positions, "BAD_007_CODE", out);
}

function checkPositions(
  tag: string,
  value: string,
  occurrence: number,
  positions: readonly FixedPosition[],
  code: string,
  out: ValidationIssue[],
): void {
  for (const p of positions) {
    if (p.end >= value.length) break;
    if (allowed(value, p)) continue;
    out.push(
      issue(
        "warning",
        code,
        `${at(p.name, occurrence)} (${p.label}) is ${quote(value.slice(p.start, p.end + 1))}; ${p.expected}`,
        tag,
        occurrence,
      ),
    );
  }
}

function allowed(value: string, p: FixedPosition): boolean {
  const table = p.chars;
  if (table !== null) {
    for (let i = p.start; i <= p.end; i++) {
      const cc = value.charCodeAt(i);
      if (cc >= 128 || table[cc] !== 1) return false;
    }
    return true;
  }
  const part = value.slice(p.start, p.end + 1);
  if (p.values?.has(part)) return true;
  return p.range !== null && inRange(part, p.range[0], p.range[1]);
}

function inRange(digits: string, min: number, max: number): boolean {
  let n = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    n = n * 10 + d;
  }
  return n >= min && n <= max;
}

/** "field 007/03", or "field 007 #2/03" for a later occurrence. */
function at(name: string, occurrence: number): string {
  if (occurrence <= 1) return `field ${name}`;
  const slash = name.indexOf("/");
  return slash < 0
    ? `field ${name} #${occurrence}`
    : `field ${name.slice(0, slash)} #${occurrence}${name.slice(slash)}`;
}

function chars(n: number): string {
  return n === 1 ? "1 character" : `${n} characters`;
}
