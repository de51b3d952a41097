/**
 * Review of "never twice, never lost" for creates: what an item ends as when its create's outcome is unknown
 * and what follows fails or is cancelled; and the account's rate limiter when the wall clock steps back.
 */
import { expect, it } from "vitest";
import type { HandlerEnv } from "../src/batch/item.js";
import { type CreateOps, createOnce } from "../src/scripts/worldcat/create-once.js";
import { OutcomeUnknownError, WorldCatError } from "../src/worldcat/errors.js";
import { createRateLimiter } from "../src/worldcat/transport/rate-limit.js";
import { manualClock } from "./fixtures/worldcat/server.js";

const unknownCreate = () =>
  new OutcomeUnknownError({ method: "POST", url: "http://x/bibs", message: "READ_TIMEOUT" }, "READ_TIMEOUT");

function env(controller = new AbortController()): HandlerEnv {
  return { dryRun: false, signal: controller.signal, throttled: () => undefined };
}

it("a create whose first attempt's outcome is unknown stays unknown when the next attempt is refused", async () => {
  let creates = 0;
  const ops: CreateOps = {
    how: "title/author/date",
    find: async () => undefined, // the first attempt's record is not (yet) found
    create: async () => {
      creates++;
      if (creates === 1) throw unknownCreate();
      throw new WorldCatError({ status: 409, message: "Record is a duplicate" });
    },
  };
  const result = await createOnce(ops, env(), { findFirst: false });
  // "failed" would send it to failures.* as a plain failure: re-running that creates it once more.
  expect(result.outcome).toBe("unknown");
  expect(result.message).toContain("create 1: outcome unknown (READ_TIMEOUT)");
  expect(result.message).toContain("Record is a duplicate");
});

it("a cancel while looking for a record whose create's outcome is unknown leaves the item to be settled on resume", async () => {
  const controller = new AbortController();
  const ops: CreateOps = {
    how: "035 (MyLib)b1",
    find: async () => {
      controller.abort(new Error("cancelled while running"));
      throw controller.signal.reason;
    },
    create: async () => {
      throw unknownCreate();
    },
  };
  // Rethrown: the batch counts the item as interrupted (redone, flagged, on resume), not as reported unknown.
  await expect(createOnce(ops, env(controller), { findFirst: false })).rejects.toThrow(
    "cancelled while running",
  );
});

it("the rate limiter does not stall when the wall clock steps back", async () => {
  const clock = manualClock();
  const waits: number[] = [];
  const limiter = createRateLimiter({
    perSecond: 10,
    burst: 10,
    clock,
    sleep: async (ms) => void waits.push(ms),
  });
  await limiter.acquire();
  clock.advance(-3_600_000); // NTP corrects the clock by an hour
  await limiter.acquire();
  expect(waits).toEqual([]);
  expect(limiter.delayMs()).toBe(0);
});
