import { type RetryOptions, retryWhileBusy } from "../retry.js";

export type { RetryOptions };

/**
 * SQLSTATE codes after which the whole transaction can simply run again: it was rolled back because of
 * other transactions, not because of anything in it.
 */
const RETRYABLE = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "55P03", // lock_not_available
]);

export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE.has(code);
}

/**
 * Runs `fn`, running it again after a deadlock or serialization failure with jittered exponential backoff
 * (the PostgreSQL counterpart of sqlite/busy.ts; lock waits themselves happen inside PostgreSQL).
 */
export function withBusyRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return retryWhileBusy(fn, isBusyError, {
    budgetMs: options.budgetMs ?? 30_000,
    baseMs: options.baseMs ?? 5,
    maxMs: options.maxMs ?? 200,
  });
}
