import { StoreBusyError } from "../errors.js";

/** SQLite result codes that mean "another connection holds the lock; try again". */
const RETRYABLE = new Set(["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_LOCKED"]);

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
 * Runs `fn`, retrying on SQLITE_BUSY with jittered exponential backoff. better-sqlite3 is synchronous, so
 * SQLite's own busy_timeout blocks the event loop while it waits (and could starve a lock holder living in
 * the same OS process); it is kept short and the real waiting happens here, asynchronously.
 */
export async function withBusyRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.budgetMs ?? 30_000);
  const baseMs = options.baseMs ?? 2;
  const maxMs = options.maxMs ?? 100;
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
