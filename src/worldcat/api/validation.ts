/** Validation results (both APIs): valid or not, with the problems OCLC listed. */
import { parseErrorBody } from "../error-body.js";
import type { ValidationProblem } from "../errors.js";
import type { HttpResponse } from "../transport/http.js";

export type ValidationMode = "validateFull" | "validateAdd" | "validateReplace";

export const VALIDATION_MODES: readonly ValidationMode[] = ["validateFull", "validateAdd", "validateReplace"];

export interface ValidationResult {
  readonly valid: boolean;
  readonly status: number;
  /** `VALID`, `NOT_VALID`, or OCLC's error code. */
  readonly summary?: string;
  readonly description?: string;
  readonly errors: readonly ValidationProblem[];
}

/** Statuses that are validation answers rather than failures of the call. */
export const VALIDATION_STATUSES = [400, 409, 422];

export function validationResult(res: HttpResponse): ValidationResult {
  let summary: string | undefined;
  let description: string | undefined;
  try {
    const json = JSON.parse(res.body) as { status?: { summary?: string; description?: string } };
    summary = json.status?.summary;
    description = json.status?.description;
  } catch {
    // XML (first API) or empty: read below.
  }
  const parsed = parseErrorBody(res.body);
  const ok = res.status >= 200 && res.status < 300;
  const errors = parsed.validationErrors;
  return {
    valid: ok && errors.length === 0 && (summary === undefined || /^valid$/i.test(summary)),
    status: res.status,
    summary: summary ?? (ok && errors.length === 0 ? "VALID" : parsed.oclcCode),
    description: description ?? parsed.message,
    errors,
  };
}
