/**
 * The record-level pass over fields: tag syntax, control vs data kind, field repeatability, exactly one 245,
 * at most one 1XX, then each field's own checks. Tags the schema does not know (9XX, X9X local fields, OCLC's
 * 019/029, ...) are allowed: only their syntax is checked.
 */
import type { MarcRecord } from "../record.js";
import { check005, check008 } from "./control-fields.js";
import { checkDataField } from "./data-field.js";
import { issue, type ValidationIssue, where } from "./issue.js";
import type { MarcRules } from "./schema.js";

const TAG = /^[0-9A-Za-z]{3}$/;
const NUMERIC_TAG = /^[0-9]{3}$/;

/**
 * Appends the issues of every field of `record` to `out`; returns how many fields each tag has.
 * `require245` is false for local bibliographic data, which carries no title.
 */
export function checkFields(
  record: MarcRecord,
  rules: MarcRules,
  require245: boolean,
  out: ValidationIssue[],
): Map<string, number> {
  const counts = new Map<string, number>();
  let first1xx: string | undefined;
  for (const f of record.fields) {
    const occurrence = (counts.get(f.tag) ?? 0) + 1;
    counts.set(f.tag, occurrence);
    if (!TAG.test(f.tag)) {
      out.push(
        issue(
          "error",
          "INVALID_TAG",
          `tag ${JSON.stringify(f.tag)} is not three letters or digits`,
          f.tag,
          occurrence,
        ),
      );
      continue;
    }
    const rule = rules.tags.get(f.tag);
    if (rule !== undefined && !rule.repeatable && occurrence > 1) {
      out.push(
        issue(
          "error",
          "NON_REPEATABLE_FIELD",
          `${where(f.tag, occurrence)}: field ${f.tag} is not repeatable; this is occurrence ${occurrence}`,
          f.tag,
          occurrence,
        ),
      );
    }
    if (f.tag[0] === "1" && NUMERIC_TAG.test(f.tag)) {
      if (first1xx === undefined) first1xx = f.tag;
      else {
        out.push(
          issue(
            "error",
            "MULTIPLE_1XX",
            `${where(f.tag, occurrence)}: a record has at most one main entry (1XX); ${first1xx} came first`,
            f.tag,
            occurrence,
          ),
        );
      }
    }
    const controlTag = f.tag[0] === "0" && f.tag[1] === "0";
    if (NUMERIC_TAG.test(f.tag) && controlTag !== (f.kind === "control")) {
      out.push(
        issue(
          "error",
          "WRONG_FIELD_KIND",
          controlTag
            ? `${where(f.tag, occurrence)} is a control field but has indicators and subfields`
            : `${where(f.tag, occurrence)} is a data field but has no indicators or subfields`,
          f.tag,
          occurrence,
        ),
      );
      continue;
    }
    if (f.kind === "data") checkDataField(f, occurrence, rule, rules, out);
    else if (f.tag === "005") check005(f.value, occurrence, out);
    else if (f.tag === "008") check008(f.value, occurrence, rules, out);
  }
  if (require245 && !counts.has("245")) {
    out.push(issue("error", "MISSING_245", "the record has no field 245 (title statement)", "245"));
  }
  return counts;
}
