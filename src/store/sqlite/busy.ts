import { StoreBusyError } from "../errors.js";

/** SQLite result codes that mean "another connection holds the lock; try again". */
const RETRYABLE = new Set(["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_LOCKED"]);

export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE.has(code);
}

export interface RetryOptions {
  readonly attempts?: number;
  readonly baseMs?: number;
  readonly maxMs?: number;
}

/**
 * Runs `fn`, retrying on SQLITE_BUSY with jittered exponential backoff. busy_timeout already waits inside
 * SQLite; this is the second line for the cases it does not cover (and for very long contention).
 */
export async function withBusyRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 20;
  const baseMs = options.baseMs ?? 5;
  const maxMs = options.maxMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusyError(err)) throw err;
      if (attempt >= attempts) throw new StoreBusyError(attempt, err);
      const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, ceiling / 2 + Math.random() * (ceiling / 2)));
    }
  }
}
