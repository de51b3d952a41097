/**
 * Three `nightshift worker` OS processes on one PostgreSQL database, a per-second schedule: each slot fires
 * exactly once (one ledger row, one process), also across kill -9 of the instance that fired the latest slot.
 */
import { expect, it } from "vitest";
import { usePostgres } from "./fixtures/postgres/server.js";
import { expectExactlyOnce, runScheduleWorkers } from "./fixtures/schedule/workers.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const pg = usePostgres();
const SLOTS = 20;

it("3 worker OS processes on PostgreSQL fire each slot of a per-second schedule exactly once, kill -9 included", async () => {
  const url = await pg.server.database();
  const dir = await tempDir();
  pg.cleanups.push(dir.cleanup);
  const run = await runScheduleWorkers(dir.dir, SLOTS, url);
  expectExactlyOnce(run, SLOTS);
  expect(run.processes.length).toBe(run.firings.length);
}, 180_000);
