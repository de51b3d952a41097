/** Query parameters as the live service reads them: booleans in any case, integers within bounds. */
import { BadRequestError } from "../errors.js";
import type { RequestContext } from "./context.js";

/** `true`/`True`/`TRUE` and `false`/... (Python clients send `True`); the fallback when absent; 400 otherwise. */
export function booleanParam(ctx: RequestContext, name: string, fallback: boolean): boolean {
  const v = ctx.query.get(name);
  if (v === null || v === "") return fallback;
  const lower = v.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new BadRequestError(`'${name}' must be true or false; got '${v}'`);
}

export function intParam(
  value: string | null,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === null || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new BadRequestError(`'${name}' must be an integer from ${min} to ${max}; got '${value}'`);
  return n;
}

/** A comma-separated list (repeated parameters too), trimmed, empty parts dropped. */
export function listParam(ctx: RequestContext, name: string): string[] {
  return ctx.query
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
