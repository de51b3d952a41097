/**
 * Turning a WorldCat error into an item's result while keeping what the handler knows (numbers, action);
 * throttling and aborts are rethrown for the batch engine to handle (slow down and retry; stop).
 */
import { defaultClassifyError, defaultIsThrottle, type ItemResult } from "../../batch/index.js";
import type { HandlerEnv } from "../../batch/item.js";
import { OutcomeUnknownError, WorldCatError, WorldCatNetworkError } from "../../worldcat/errors.js";

export function resultOfError(err: unknown, env: HandlerEnv, known: Partial<ItemResult> = {}): ItemResult {
  if (env.signal.aborted || defaultIsThrottle(err)) throw err;
  const result = defaultClassifyError(err);
  // OCLC's own words, without the method and URL the error message starts with.
  const message = err instanceof WorldCatError ? detailOf(err) : result.message;
  return { ...known, ...result, message };
}

function detailOf(err: WorldCatError): string {
  const problems = err.validationErrors.map((v) => `${v.field ? `field ${v.field}: ` : ""}${v.message}`);
  return problems.length ? `${err.detail} (${problems.join("; ")})` : err.detail;
}

/** True for an error WorldCat answered with this HTTP status (and OCLC code, when given). */
export function isAnswer(err: unknown, status: number, oclcCode?: string): err is WorldCatError {
  return (
    err instanceof WorldCatError &&
    err.status === status &&
    (oclcCode === undefined || err.oclcCode === oclcCode)
  );
}

/**
 * True when a write may have reached WorldCat and been applied although no success came back: no answer
 * (after the transport's retries), an unknown outcome, a 5xx, or a final answer (a 429, say) that followed an
 * attempt which may have been applied (a blind retry by the batch would redo it).
 */
export function mayHaveApplied(err: unknown): boolean {
  return (
    err instanceof OutcomeUnknownError ||
    err instanceof WorldCatNetworkError ||
    (err instanceof WorldCatError && (err.status >= 500 || err.earlierAttemptMayHaveApplied))
  );
}
