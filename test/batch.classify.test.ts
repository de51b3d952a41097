import { expect, it } from "vitest";
import { defaultThrottleBackoff, MAX_THROTTLE_WAIT_MS } from "../src/batch/classify.js";

it("honours Retry-After, but never waits longer than the cap (no timer overflow, no instant retries)", () => {
  expect(defaultThrottleBackoff(1, { retryAfterMs: 2000 })).toBe(2000);
  expect(defaultThrottleBackoff(1, { retryAfterMs: 30 * 86_400_000 })).toBe(MAX_THROTTLE_WAIT_MS);
});

it("backs off exponentially up to 30 s (plus jitter) without Retry-After", () => {
  const first = defaultThrottleBackoff(1, {});
  expect(first).toBeGreaterThanOrEqual(1000);
  expect(first).toBeLessThanOrEqual(1200);
  const late = defaultThrottleBackoff(20, {});
  expect(late).toBeGreaterThanOrEqual(30_000);
  expect(late).toBeLessThanOrEqual(36_000);
});
