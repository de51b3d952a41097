/**
 * Record checks behind the validate endpoints and every create/replace, using src/marc validation with the
 * OCLC profile of the operation.
 */
import { parseOclcNumber } from "../../marc/oclc-number.js";
import type { MarcRecord } from "../../marc/record.js";
import { validate } from "../../marc/validate/index.js";
import type { SandboxValidationError } from "../errors.js";
import { encodingProblem } from "./encodable.js";

export type ValidationMode = "full" | "add" | "replace" | "lbd";

const PROFILE = { full: "structure", add: "create", replace: "replace", lbd: "lbd" } as const;

/**
 * Every problem found (errors and warnings). `strict001`: the first API wants 001 as bare digits on
 * replace; Metadata API 2.0 also takes back the `ocm`/`ocn`/`on` form it hands out.
 */
export function validateBib(
  record: MarcRecord,
  mode: ValidationMode,
  strict001 = false,
): SandboxValidationError[] {
  const issues = validate(record, PROFILE[mode]);
  const lenient001 = !strict001 && parseOclcNumber(record.controlValue("001") ?? "") !== undefined;
  const out: SandboxValidationError[] = issues.filter((i) => !(lenient001 && i.code === "BAD_001"));
  const encoding = encodingProblem(record);
  return encoding ? [...out, encoding] : out;
}

export function errorsOnly(problems: readonly SandboxValidationError[]): SandboxValidationError[] {
  return problems.filter((p) => p.severity === "error");
}
