/**
 * Slows password guessing: after `maxFailures` failed logins for one user name (or `maxFailures * 4` from one
 * client address) within `windowMs`, further attempts are refused with 429 until the oldest failure leaves the
 * window. A successful login clears the name's failures. In memory: it protects one server process.
 */
export interface LoginThrottle {
  /** Milliseconds to wait before trying again, or 0 when an attempt may be made now. */
  retryAfterMs(name: string, address: string): number;
  failed(name: string, address: string): void;
  succeeded(name: string): void;
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
    retryAfterMs(name, address) {
      const key = name.toLowerCase();
      return Math.max(
        wait(recent(byName, key), maxFailures),
        wait(recent(byAddress, address), maxFailures * 4),
      );
    },
    failed(name, address) {
      const t = now();
      byName.set(name.toLowerCase(), [...recent(byName, name.toLowerCase()), t]);
      byAddress.set(address, [...recent(byAddress, address), t]);
    },
    succeeded(name) {
      byName.delete(name.toLowerCase());
    },
  };
}
