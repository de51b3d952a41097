/** What validation reports: one issue per problem, located by tag, occurrence and subfield. */

/** Which rules to apply: MARC 21 structure only, or structure plus what an OCLC operation needs. */
export type ValidationProfile = "structure" | "create" | "replace" | "lbd" | "holdings" | "lhr";

export const VALIDATION_PROFILES: readonly ValidationProfile[] = Object.freeze([
  "structure",
  "create",
  "replace",
  "lbd",
  "holdings",
  "lhr",
]);

export interface ValidationIssue {
  severity: "error" | "warning";
  /** Stable SCREAMING_SNAKE code, e.g. NON_REPEATABLE_FIELD. */
  code: string;
  tag?: string;
  /** 1-based among the record's fields with this tag. */
  occurrence?: number;
  subfield?: string;
  message: string;
}

/** Where an issue is: "field 245", "field 650 #2", "field 650 #2 $a". */
export function where(tag: string, occurrence?: number, subfield?: string): string {
  let s = `field ${tag}`;
  if (occurrence !== undefined && occurrence > 1) s += ` #${occurrence}`;
  if (subfield !== undefined) s += ` $${subfield}`;
  return s;
}

/** Shorthand used by the rule modules: builds an issue, leaving out location parts that are undefined. */
export function issue(
  severity: ValidationIssue["severity"],
  code: string,
  message: string,
  tag?: string,
  occurrence?: number,
  subfield?: string,
): ValidationIssue {
  const out: ValidationIssue = { severity, code, message };
  if (tag !== undefined) out.tag = tag;
  if (occurrence !== undefined) out.occurrence = occurrence;
  if (subfield !== undefined) out.subfield = subfield;
  return out;
}

/** A value for a message: "blank" for one space, otherwise JSON-quoted so control characters show as escapes. */
export function quote(value: string): string {
  return value === " " ? "blank" : JSON.stringify(value);
}
