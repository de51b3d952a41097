import { StoreBusyError } from "./errors.js";

export interface RetryOptions {
  /** Give up (StoreBusyError) after this long. */
  readonly budgetMs?: number;
  readonly baseMs?: number;
  readonly maxMs?: number;
}

/**
 * Runs `fn`, running it again while it fails with an error `isRetryable` accepts (a lock held by another
 * connection, a deadlock), with jittered exponential backoff, until the budget is spent. Each dialect's
 * busy.ts says which errors those are and its timings.
 */
export async function retryWhileBusy<T>(
  fn: () => Promise<T>,
  isRetryable: (err: unknown) => boolean,
  options: Required<RetryOptions>,
): Promise<T> {
  const deadline = Date.now() + options.budgetMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (Date.now() >= deadline) throw new StoreBusyError(attempt, err);
      const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}
