/**
 * How a handler's error becomes an item result, and which errors mean "throttled". Duck-typed on the
 * fields WorldCat errors carry (status, oclcCode, code) so the engine stays independent of the client.
 */
import { coerceError } from "../errors.js";
import type { ItemResult } from "./item.js";

interface ErrorFields {
  readonly status?: unknown;
  readonly oclcCode?: unknown;
  readonly code?: unknown;
  readonly retryAfterMs?: unknown;
}

const UNKNOWN_CODES = new Set(["WORLDCAT_OUTCOME_UNKNOWN"]);

/**
 * `OutcomeUnknownError` (a write that may or may not have happened) -> unknown; anything else -> failed.
 * The code is OCLC's when the error has one, else `HTTP <status>`, else the error's own code.
 */
export function defaultClassifyError(err: unknown): ItemResult {
  const e = coerceError(err);
  const f = e as ErrorFields;
  const unknown =
    e.name === "OutcomeUnknownError" || (typeof f.code === "string" && UNKNOWN_CODES.has(f.code));
  let code: string | undefined;
  if (typeof f.oclcCode === "string" && f.oclcCode !== "") code = f.oclcCode;
  else if (typeof f.status === "number" && f.status > 0) code = `HTTP ${f.status}`;
  else if (typeof f.code === "string" && f.code !== "NIGHTSHIFT_ERROR") code = f.code;
  return { outcome: unknown ? "unknown" : "failed", oclcCode: code, message: e.message };
}

/** HTTP 429 Too Many Requests. */
export function defaultIsThrottle(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as ErrorFields).status === 429;
}

/** Longest wait a Retry-After can impose on one item (a larger one would also overflow Node's timers). */
export const MAX_THROTTLE_WAIT_MS = 15 * 60_000;

/**
 * Retry-After when the server sent one (at most 15 minutes), else 1 s, 2 s, 4 s ... up to 30 s, with up to 20%
 * jitter.
 */
export function defaultThrottleBackoff(retry: number, err: unknown): number {
  const after = (err as ErrorFields | undefined)?.retryAfterMs;
  if (typeof after === "number" && after >= 0) return Math.min(after, MAX_THROTTLE_WAIT_MS);
  const base = Math.min(30_000, 1000 * 2 ** (retry - 1));
  return Math.round(base * (1 + Math.random() * 0.2));
}
