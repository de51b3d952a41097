/**
 * A per-trigger rate limit: at most `count` events in any `windowMs` (a sliding log of event times).
 * In memory, per server: each instance that receives events counts its own.
 */
export interface RateLimit {
  readonly count: number;
  readonly windowMs: number;
}

const UNITS: Record<string, number> = { s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** `60/min`, `10/s`, `500/h`; undefined when the text is not one. */
export function parseRateLimit(text: string): RateLimit | undefined {
  const m = /^\s*(\d+)\s*\/\s*(s|sec|m|min|h)\s*$/.exec(text);
  if (!m || Number(m[1]) < 1) return undefined;
  return { count: Number(m[1]), windowMs: UNITS[m[2]] };
}

export interface RateLimiter {
  /** Counts an event at `now`; the seconds to wait when it is over the limit, else 0. */
  take(now: number): number;
}

export function createRateLimiter(limit: RateLimit): RateLimiter {
  const times: number[] = [];
  return {
    take(now) {
      while (times.length && times[0] <= now - limit.windowMs) times.shift();
      if (times.length >= limit.count)
        return Math.max(1, Math.ceil((times[0] + limit.windowMs - now) / 1000));
      times.push(now);
      return 0;
    },
  };
}
