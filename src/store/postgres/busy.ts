import { StoreBusyError } from "../errors.js";

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

export interface RetryOptions {
  /** Give up (StoreBusyError) after this long. */
  readonly budgetMs?: number;
  readonly baseMs?: number;
  readonly maxMs?: number;
}

/**
 * Runs `fn`, running it again after a deadlock or serialization failure with jittered exponential backoff
 * (the PostgreSQL counterpart of sqlite/busy.ts; lock waits themselves happen inside PostgreSQL).
 */
export async function withBusyRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.budgetMs ?? 30_000);
  const baseMs = options.baseMs ?? 5;
  const maxMs = options.maxMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusyError(err)) throw err;
      if (Date.now() >= deadline) throw new StoreBusyError(attempt, err);
      const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}
