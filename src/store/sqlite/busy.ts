import { type RetryOptions, retryWhileBusy } from "../retry.js";

export type { RetryOptions };

/** SQLite result codes that mean "another connection holds the lock; try again". */
const RETRYABLE = new Set(["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_LOCKED"]);

export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE.has(code);
}

/**
 * Runs `fn`, retrying on SQLITE_BUSY with jittered exponential backoff. better-sqlite3 is synchronous, so
 * SQLite's own busy_timeout blocks the event loop while it waits (and could starve a lock holder living in
 * the same OS process); it is kept short and the real waiting happens here, asynchronously.
 */
export function withBusyRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return retryWhileBusy(fn, isBusyError, {
    budgetMs: options.budgetMs ?? 30_000,
    baseMs: options.baseMs ?? 2,
    maxMs: options.maxMs ?? 100,
  });
}
