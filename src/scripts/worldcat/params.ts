/** Parameters every WorldCat batch script takes, and reading them from `ctx.params`. */
import type { ParameterDefinition, ParamValues } from "../../engine/script.js";
import { WorldCatScriptError } from "./errors.js";

/** `--account NAME`: the service account a WorldCat script runs under. */
export const ACCOUNT_PARAMETER: ParameterDefinition = {
  // -A as people guess it; -s, its first short name, still works.
  name: "-A",
  aliases: ["-s"],
  nameLong: "--account",
  type: "string",
  default: "sandbox",
  description: "service account (from the config's accounts:)",
};

/** `--account`, `--concurrency`, `--dry-run`, `--resume`: what every WorldCat batch script takes. */
export const COMMON_PARAMETERS: readonly ParameterDefinition[] = [
  ACCOUNT_PARAMETER,
  {
    name: "-c",
    nameLong: "--concurrency",
    type: "integer",
    description: "most requests in flight at once (default: the account's concurrency)",
  },
  {
    name: "-n",
    nameLong: "--dry-run",
    type: "boolean",
    description: "do everything except the writes (pre-checks and validation still run)",
  },
  {
    name: "-r",
    nameLong: "--resume",
    type: "integer",
    description: "id of an interrupted process of this script to continue (same input)",
  },
];

/** `--column NAME|NUMBER`: which column of a CSV input holds the OCLC numbers. */
export const COLUMN_PARAMETER: ParameterDefinition = {
  name: "-C",
  nameLong: "--column",
  type: "string",
  description:
    "CSV input: the column of the OCLC numbers, by header name or number from 1 (needed when the header names none of ocn, oclc, OCLC Number, number)",
};

/** An `--input FILE` parameter. */
export function inputParameter(description: string): ParameterDefinition {
  return { name: "-i", nameLong: "--input", type: "file", required: true, description };
}

export interface CommonValues {
  readonly concurrency?: number;
  readonly dryRun: boolean;
  readonly resumeFrom?: number;
}

/** The common values, checked. */
export function commonValues(params: ParamValues): CommonValues {
  const concurrency = params.concurrency === undefined ? undefined : Number(params.concurrency);
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)
  ) {
    throw new WorldCatScriptError(`--concurrency must be from 1 to 64 (got ${params.concurrency})`);
  }
  const resumeFrom = params.resume === undefined ? undefined : Number(params.resume);
  if (resumeFrom !== undefined && !(Number.isInteger(resumeFrom) && resumeFrom >= 1)) {
    throw new WorldCatScriptError(`--resume must be a process id (got ${params.resume})`);
  }
  return { concurrency, dryRun: params.dryRun === true, resumeFrom };
}
