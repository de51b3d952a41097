import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/worldcat/transport/rate-limit.js";
import { manualClock } from "./fixtures/worldcat/server.js";

describe("token-bucket rate limiter", () => {
  it("lets a burst through, then paces callers at the rate, in arrival order", async () => {
    const clock = manualClock();
    const waits: number[] = [];
    const limiter = createRateLimiter({
      perSecond: 10,
      burst: 3,
      clock,
      sleep: async (ms) => void waits.push(ms),
    });
    for (let i = 0; i < 6; i++) await limiter.acquire();
    expect(waits).toEqual([100, 200, 300]);
  });

  it("refills with time, never above the burst", async () => {
    const clock = manualClock();
    const waits: number[] = [];
    const limiter = createRateLimiter({
      perSecond: 2,
      burst: 2,
      clock,
      sleep: async (ms) => void waits.push(ms),
    });
    await limiter.acquire();
    await limiter.acquire();
    expect(limiter.delayMs()).toBe(500);
    clock.advance(10_000);
    expect(limiter.delayMs()).toBe(0);
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    expect(waits).toEqual([500]);
  });

  it("holds 20/s over a simulated minute", async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({
      perSecond: 20,
      clock,
      sleep: async (ms) => clock.advance(ms),
    });
    const start = clock.now();
    for (let i = 0; i < 1220; i++) await limiter.acquire();
    // 20 at once, then 1200 more at 20/s = 60 s.
    expect(clock.now() - start).toBe(60_000);
  });
});
