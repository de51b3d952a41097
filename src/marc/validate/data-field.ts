/** One data field against its tag's rule: indicators, subfield codes, subfield repeatability, 880 linkage. */
import type { DataField } from "../record.js";
import { issue, quote, type ValidationIssue, where } from "./issue.js";
import { type MarcRules, SUBFIELD_NON_REPEATABLE, SUBFIELD_UNDEFINED, type TagRule } from "./schema.js";

const LINKAGE = /^([0-9]{3})-[0-9]{2}/;

// Per-field "seen" marks by subfield char code, stamped with a generation number so that nothing is cleared
// or allocated per field. Safe because validation is synchronous.
const seen = new Uint32Array(128);
const reported = new Uint32Array(128);
let generation = 0;

/** Appends the issues of data field `f` (the `occurrence`th with its tag) to `out`. */
export function checkDataField(
  f: DataField,
  occurrence: number,
  rule: TagRule | undefined,
  rules: MarcRules,
  out: ValidationIssue[],
): void {
  if (f.tag === "880") rule = linkedRule(f, occurrence, rules, out);
  checkIndicator(f, 1, f.ind1, rule?.ind1 ?? null, occurrence, out);
  checkIndicator(f, 2, f.ind2, rule?.ind2 ?? null, occurrence, out);
  if (f.subfields.length === 0) {
    out.push(
      issue("error", "NO_SUBFIELDS", `${where(f.tag, occurrence)} has no subfields`, f.tag, occurrence),
    );
    return;
  }
  generation = generation === 0xffffffff ? 1 : generation + 1;
  if (generation === 1) {
    seen.fill(0);
    reported.fill(0);
  }
  const table = rule?.subfields ?? null;
  for (const s of f.subfields) {
    const code = s.code;
    const cc = code.length === 1 ? code.charCodeAt(0) : -1;
    if (!isSubfieldCode(cc)) {
      out.push(
        issue(
          "error",
          "INVALID_SUBFIELD_CODE",
          `${where(f.tag, occurrence)} has subfield code ${quote(code)}; codes are one lowercase letter or digit`,
          f.tag,
          occurrence,
          code,
        ),
      );
      continue;
    }
    if (s.value.length === 0) {
      out.push(
        issue(
          "warning",
          "EMPTY_SUBFIELD",
          `${where(f.tag, occurrence, code)} is empty`,
          f.tag,
          occurrence,
          code,
        ),
      );
    }
    if (table === null) continue;
    const kind = table[cc];
    if (kind === SUBFIELD_UNDEFINED) {
      if (reported[cc] !== generation) {
        reported[cc] = generation;
        out.push(
          issue(
            "error",
            "UNKNOWN_SUBFIELD",
            `${where(f.tag, occurrence, code)} is not defined for field ${rule === undefined ? f.tag : ruleTag(f)}`,
            f.tag,
            occurrence,
            code,
          ),
        );
      }
    } else if (kind === SUBFIELD_NON_REPEATABLE && seen[cc] === generation && reported[cc] !== generation) {
      reported[cc] = generation;
      out.push(
        issue(
          "error",
          "NON_REPEATABLE_SUBFIELD",
          `${where(f.tag, occurrence, code)} is not repeatable but occurs more than once`,
          f.tag,
          occurrence,
          code,
        ),
      );
    }
    seen[cc] = generation;
  }
}

/** a-z or 0-9. */
function isSubfieldCode(cc: number): boolean {
  return (cc >= 97 && cc <= 122) || (cc >= 48 && cc <= 57);
}

function checkIndicator(
  f: DataField,
  n: 1 | 2,
  value: string,
  allowed: string | null,
  occurrence: number,
  out: ValidationIssue[],
): void {
  if (value.length === 1 && (allowed === null || allowed.includes(value))) return;
  const expected =
    allowed === null
      ? "one character"
      : `one of ${[...allowed].map((c) => (c === " " ? "blank" : c)).join(", ")}`;
  out.push(
    issue(
      "error",
      "INVALID_INDICATOR",
      `${where(f.tag, occurrence)}: indicator ${n} is ${quote(value)}; expected ${expected}`,
      f.tag,
      occurrence,
    ),
  );
}

/** 880 takes indicators and subfields from the field its $6 links to; without $6 it is an error. */
function linkedRule(
  f: DataField,
  occurrence: number,
  rules: MarcRules,
  out: ValidationIssue[],
): TagRule | undefined {
  const six = f.subfields.find((s) => s.code === "6");
  if (six === undefined) {
    out.push(
      issue(
        "error",
        "MISSING_880_6",
        `${where("880", occurrence)} has no $6 linking it to the field it represents`,
        "880",
        occurrence,
        "6",
      ),
    );
    return undefined;
  }
  const m = LINKAGE.exec(six.value);
  if (m === null) {
    out.push(
      issue(
        "warning",
        "BAD_880_6",
        `${where("880", occurrence, "6")} is ${quote(six.value)}; expected tag-occurrence such as 245-01`,
        "880",
        occurrence,
        "6",
      ),
    );
    return undefined;
  }
  return rules.tags.get(m[1]);
}

function ruleTag(f: DataField): string {
  if (f.tag !== "880") return f.tag;
  const six = f.subfields.find((s) => s.code === "6");
  return six === undefined ? f.tag : `${six.value.slice(0, 3)} (linked from 880)`;
}
