/**
 * MARC 21 bibliographic validation, with OCLC profiles.
 *
 * ```ts
 * validate(record)            // structure only: Leader, 005-008, 245, 1XX, indicators, subfields, 880 $6
 * validate(record, "replace") // structure + 001 holds the bare OCLC number + 005 present
 * // -> [{ severity: "error", code: "INVALID_INDICATOR", tag: "245", occurrence: 1,
 * //       message: "field 245: indicator 1 is \"3\"; expected one of 0, 1" }]
 * ```
 */
import type { MarcRecord } from "../record.js";
import { checkFields } from "./fields.js";
import { validateHoldings } from "./holdings.js";
import { issue, quote, type ValidationIssue, type ValidationProfile } from "./issue.js";
import { checkLeader } from "./leader.js";
import { PROFILE_CHECKS } from "./profiles.js";
import { marcRules } from "./schema.js";

/** Leader/06 values of the other MARC 21 formats. */
const OTHER_FORMATS: Readonly<Record<string, string>> = Object.freeze({
  u: "a holdings",
  v: "a holdings",
  x: "a holdings",
  y: "a holdings",
  z: "an authority",
  q: "a community information",
});

export { VALIDATION_PROFILES, type ValidationIssue, type ValidationProfile } from "./issue.js";

/**
 * The issues of `record` under `profile`, in the order found (Leader, fields in record order, then
 * record-level and profile checks); `[]` when the record is clean. Never throws on bad data.
 * Profiles: `create` (master record: 040, 008), `replace` (001 bare OCLC number, 005), `lbd` (004, 935, 940;
 * no 245 needed, blank Leader/06-07 allowed), `holdings` (an OCLC number in 001 or 035), `lhr` (a MARC 21
 * holdings record for a local holdings record: validate/holdings.ts).
 */
export function validate(record: MarcRecord, profile: ValidationProfile = "structure"): ValidationIssue[] {
  if (profile === "lhr") return validateHoldings(record);
  const rules = marcRules();
  const out: ValidationIssue[] = [];
  const local = profile === "lbd";
  const kind = OTHER_FORMATS[record.leader[6]];
  if (kind !== undefined) {
    // A holdings or authority record among bibliographic ones: one clear issue instead of a dozen.
    out.push(
      issue(
        "error",
        "NOT_BIBLIOGRAPHIC",
        `Leader/06 is ${quote(record.leader[6])}: this is ${kind} record, not a bibliographic one; not validated further`,
        "LDR",
      ),
    );
    return out;
  }
  checkLeader(record.leader, rules, local, out);
  const counts = checkFields(record, rules, !local, out);
  PROFILE_CHECKS[profile]?.(record, counts, out);
  return out;
}

/** True when `validate` finds no error (warnings allowed). */
export function isValid(record: MarcRecord, profile: ValidationProfile = "structure"): boolean {
  return !validate(record, profile).some((i) => i.severity === "error");
}
