import { describe, expect, it } from "vitest";
import { createAdaptiveWindow } from "../src/batch/window.js";

describe("adaptive window (AIMD)", () => {
  it("halves once per burst, down to 1, and grows back by one per window of successes", () => {
    const w = createAdaptiveWindow(8);
    const burst = w.epoch;
    expect(w.throttled(burst)).toBe(true);
    expect(w.throttled(burst)).toBe(false); // same burst: started before the decrease
    expect(w.limit).toBe(4);
    w.throttled(w.epoch);
    w.throttled(w.epoch);
    w.throttled(w.epoch);
    expect(w.limit).toBe(1);
    const steps: number[] = [];
    w.succeeded(burst); // a call from before the decreases does not count
    expect(w.limit).toBe(1);
    for (let i = 0; i < 100 && w.limit < 8; i++) {
      w.succeeded(w.epoch);
      steps.push(w.limit);
    }
    // 1 success -> 2, 2 more -> 3, ... 7 more -> 8: 28 successes in all.
    expect(steps.length).toBe(1 + 2 + 3 + 4 + 5 + 6 + 7);
    expect(w.limit).toBe(8);
    w.succeeded(w.epoch);
    expect(w.limit).toBe(8);
  });

  it("rejects a concurrency that is not a positive integer", () => {
    expect(() => createAdaptiveWindow(0)).toThrow(RangeError);
    expect(() => createAdaptiveWindow(2.5)).toThrow(RangeError);
  });
});
