/**
 * Slows password guessing: at most `maxFailures` logins for one user name (or `maxFailures * 4` from one client
 * address) may fail within `windowMs`; further attempts are refused with 429 until the oldest failure leaves
 * the window. A successful login clears the name's failures. In memory: it protects one server process.
 *
 * An attempt is counted as a failure when it BEGINS, before the slow password check: counted after it, any
 * number of guesses sent in parallel would all pass the check of the limit before the first one was counted.
 * A login that turns out right takes its own attempt back.
 */
export interface LoginThrottle {
  /**
   * Begins an attempt: refused (`retryAfterMs` > 0, nothing counted) or counted now as a failure, to be taken
   * back by `succeeded()` when the password was right.
   */
  begin(name: string, address: string): LoginAttempt;
}

export interface LoginAttempt {
  /** Milliseconds to wait before trying again; 0 when this attempt may go on (and is counted). */
  readonly retryAfterMs: number;
  /** The password was right: clears the name's failures and takes this attempt off the address's. */
  succeeded(): void;
}

export interface LoginThrottleOptions {
  readonly maxFailures?: number;
  readonly windowMs?: number;
  readonly now?: () => number;
}

export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const byName = new Map<string, number[]>();
  const byAddress = new Map<string, number[]>();

  /** Failures still inside the window (older ones are dropped, and empty keys forgotten). */
  const recent = (map: Map<string, number[]>, key: string): number[] => {
    const since = now() - windowMs;
    const kept = (map.get(key) ?? []).filter((t) => t > since);
    if (kept.length) map.set(key, kept);
    else map.delete(key);
    return kept;
  };
  const wait = (times: number[], limit: number) =>
    times.length >= limit ? Math.max(1, times[times.length - limit] + windowMs - now()) : 0;

  return {
    begin(rawName, address) {
      const name = rawName.toLowerCase();
      const names = recent(byName, name);
      const addresses = recent(byAddress, address);
      const retryAfterMs = Math.max(wait(names, maxFailures), wait(addresses, maxFailures * 4));
      if (retryAfterMs > 0) return { retryAfterMs, succeeded() {} };
      // Counted synchronously, before the caller awaits anything: parallel attempts see each other.
      const t = now();
      byName.set(name, [...names, t]);
      byAddress.set(address, [...addresses, t]);
      return {
        retryAfterMs: 0,
        succeeded() {
          byName.delete(name);
          const list = byAddress.get(address);
          const at = list?.lastIndexOf(t) ?? -1;
          if (list && at >= 0) list.splice(at, 1);
        },
      };
    },
  };
}
