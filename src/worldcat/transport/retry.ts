/**
 * Retry policy: which failures are retried, and how long to wait (exponential backoff with full jitter,
 * or the server's Retry-After when it sent one).
 */
export interface RetryPolicy {
  /** Total attempts including the first (default 5). */
  readonly maxAttempts: number;
  /** First backoff ceiling in ms (default 250). */
  readonly baseDelayMs: number;
  /** Largest backoff in ms (default 20 s). */
  readonly maxDelayMs: number;
  /** Largest Retry-After honoured in ms (default 5 min); longer waits give up instead. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 300_000,
});

/** Statuses that say "try again later". */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/**
 * Retry-After as milliseconds from `nowMs`: delta seconds ("120") or an HTTP date.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Wait before attempt `attempt + 1` (attempt counts from 1), full jitter: random(0, min(max, base*2^(n-1))). */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
