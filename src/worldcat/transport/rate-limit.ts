/**
 * Token-bucket rate limiter, one per service account. Callers reserve a token and sleep until it is
 * theirs, so waiters are served in arrival order without a queue.
 *
 * ```ts
 * const limiter = createRateLimiter({ perSecond: 20, burst: 20 });
 * await limiter.acquire(); // returns at once while the bucket has tokens, then paces at 20/s
 * ```
 */
import { type Clock, realSleep, type Sleep, systemClock } from "./clock.js";

export interface RateLimiter {
  /** Waits until one request may go. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Milliseconds the next acquire() would wait (0 when a token is ready). */
  delayMs(): number;
}

export interface RateLimiterOptions {
  readonly perSecond: number;
  readonly burst?: number;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perSecond } = options;
  if (!(perSecond > 0)) throw new RangeError(`rate limit must be positive (got ${perSecond})`);
  const burst = Math.max(1, options.burst ?? Math.ceil(perSecond));
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  // tokens may go negative: that is the debt queued callers are sleeping off.
  let tokens = burst;
  let last = clock.now();

  const refill = (): void => {
    const now = clock.now();
    // A wall clock stepped back (NTP) must not turn into debt: it would stall every caller that long.
    tokens = Math.min(burst, tokens + (Math.max(0, now - last) / 1000) * perSecond);
    last = now;
  };

  return {
    async acquire(signal) {
      signal?.throwIfAborted();
      refill();
      tokens -= 1;
      if (tokens >= 0) return;
      const waitMs = Math.ceil((-tokens / perSecond) * 1000);
      try {
        await sleep(waitMs, signal);
      } catch (err) {
        tokens += 1; // give the reservation back
        throw err;
      }
    },
    delayMs() {
      refill();
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / perSecond) * 1000);
    },
  };
}

/** A no-op limiter for accounts without a rate limit. */
export const unlimited: RateLimiter = {
  acquire: async (signal) => signal?.throwIfAborted(),
  delayMs: () => 0,
};
