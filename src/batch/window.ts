/**
 * Adaptive concurrency (AIMD, as TCP does): the window of items in flight halves when the service throttles
 * (HTTP 429) and grows back by one for every window's worth of successes, up to the configured maximum.
 *
 * ```ts
 * const w = createAdaptiveWindow(8);
 * const e = w.epoch; w.throttled(e); w.limit // 4
 * w.succeeded(w.epoch) // four of these: w.limit 5
 * ```
 */

export interface AdaptiveWindow {
  /** Items allowed in flight now (1..max). */
  readonly limit: number;
  readonly max: number;
  /** Changes at every decrease. Pass the epoch an item started in to `throttled`. */
  readonly epoch: number;
  /**
   * The service throttled a call started in `epoch`. Signals from calls started before the last decrease
   * are ignored: a burst of 429s from one window's worth of requests halves the window once, not n times.
   */
  throttled(epoch: number): boolean;
  /** A call started in `epoch` succeeded; calls started before the last decrease do not count towards growth. */
  succeeded(epoch: number): void;
}

export function createAdaptiveWindow(max: number, min = 1): AdaptiveWindow {
  if (!(Number.isInteger(max) && max >= 1))
    throw new RangeError(`concurrency must be a positive integer (got ${max})`);
  let limit = max;
  let epoch = 0;
  let credit = 0;
  return {
    get limit() {
      return limit;
    },
    max,
    get epoch() {
      return epoch;
    },
    throttled(startedIn) {
      if (startedIn !== epoch) return false;
      limit = Math.max(min, Math.floor(limit / 2));
      epoch++;
      credit = 0;
      return true;
    },
    succeeded(startedIn) {
      if (limit >= max || startedIn !== epoch) return;
      if (++credit >= limit) {
        limit++;
        credit = 0;
      }
    },
  };
}
