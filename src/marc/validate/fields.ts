/**
 * The record-level pass over fields: tag syntax, control vs data kind, field repeatability, exactly one 245,
 * at most one 1XX, then each field's own checks. Tags the schema does not know (9XX, X9X local fields, OCLC's
 * 019/029, ...) are allowed: only their syntax is checked. Control fields 005, 006, 007 and 008 have formats.
 */
import type { MarcRecord } from "../record.js";
import { check005, check008 } from "./control-fields.js";
import { checkDataField } from "./data-field.js";
import { check006, check007, check008Material } from "./fixed-fields.js";
import { issue, quote, type ValidationIssue, where } from "./issue.js";
import type { MarcRules } from "./schema.js";
import { TagCounter, type TagCounts, tagNumber } from "./tag-counts.js";

const TAG = /^[0-9A-Za-z]{3}$/;
// Reused for every record: validation is synchronous, so one record at a time uses it.
const counter = new TagCounter();

/**
 * Appends the issues of every field of `record` to `out`; returns how many fields each tag has (valid until
 * the next call).
 * `require245` is false for local bibliographic data, which carries no title.
 */
export function checkFields(
  record: MarcRecord,
  rules: MarcRules,
  require245: boolean,
  out: ValidationIssue[],
): TagCounts {
  counter.start();
  let first1xx: string | undefined;
  for (const f of record.fields) {
    const n = tagNumber(f.tag);
    const numeric = n >= 0;
    const occurrence = counter.add(f.tag, n);
    if (!numeric && !TAG.test(f.tag)) {
      out.push(
        issue(
          "error",
          "INVALID_TAG",
          `tag ${quote(f.tag)} is not three letters or digits`,
          f.tag,
          occurrence,
        ),
      );
      continue;
    }
    const rule = numeric ? rules.numericTags[n] : rules.tags.get(f.tag);
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
    if (n >= 100 && n < 200) {
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
    const controlTag = n >= 0 && n < 10;
    if (numeric && controlTag !== (f.kind === "control")) {
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
    else if (f.tag === "008") {
      check008(f.value, occurrence, rules, out);
      check008Material(f.value, record.leader, occurrence, rules.fixed, out);
    } else if (f.tag === "007") check007(f.value, occurrence, rules.fixed, out);
    else if (f.tag === "006") check006(f.value, occurrence, rules.fixed, out);
  }
  if (require245 && !counter.has("245")) {
    out.push(issue("error", "MISSING_245", "the record has no field 245 (title statement)", "245"));
  }
  return counter;
}
