/**
 * Three `nightshift worker` OS processes on one SQLite data directory, a per-second schedule: each slot fires
 * exactly once (one ledger row, one process), also across kill -9 of the instance that fired the latest slot.
 */
import { afterEach, expect, it } from "vitest";
import { expectExactlyOnce, runScheduleWorkers } from "./fixtures/schedule/workers.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const SLOTS = 20;

it("3 worker OS processes on one SQLite file fire each slot of a per-second schedule exactly once, kill -9 included", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const run = await runScheduleWorkers(dir.dir, SLOTS);
  expectExactlyOnce(run, SLOTS);
  expect(run.processes.length).toBe(run.firings.length);
}, 180_000);
