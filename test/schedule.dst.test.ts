/**
 * Daylight saving in Europe/Berlin and America/New_York, with an injected clock walking the scheduler across
 * each transition minute by minute: a slot in the skipped hour fires once, at the first valid instant after
 * it; a slot in the repeated hour fires once, at its first occurrence.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createRegistry } from "../src/engine/registry.js";
import { compileCron } from "../src/schedule/cron.js";
import { openSchedules } from "../src/schedule/index.js";
import { scheduleScripts } from "./fixtures/schedule/scripts.js";
import { tempDir, testConfig, testEngine } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The slots the scheduler fires while the clock moves from `from` to `to` a minute at a time. */
async function fired(cron: string, timezone: string, from: string, to: string): Promise<string[]> {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const over = { raw: { schedules: { s: { script: "tick", cron, timezone, overlap: "allow" } } } };
  const config = await testConfig(dir.dir, over);
  const clock = { t: Date.parse(from), now: () => clock.t };
  const engine = await testEngine(dir.dir, over, {
    clock,
    scripts: createRegistry(scheduleScripts, config.scripts),
  });
  cleanups.push(() => engine.close());
  const scheduler = openSchedules(engine).createScheduler({ graceMs: 120_000 });
  for (; clock.t <= Date.parse(to); clock.t += 60_000) await scheduler.tick();
  const rows = await engine.store.db
    .selectFrom("processes")
    .select("scheduled_for")
    .where("schedule_name", "=", "s")
    .orderBy("id")
    .execute();
  return rows.map((r) => r.scheduled_for ?? "");
}

describe("Europe/Berlin", () => {
  it("spring forward (02:00 -> 03:00 on 2026-03-29): 02:30 fires once at 03:00 CEST", async () => {
    expect(
      await fired("30 2 * * *", "Europe/Berlin", "2026-03-28T23:00:00Z", "2026-03-29T03:00:00Z"),
    ).toEqual(["2026-03-29T01:00:00.000Z"]);
  });

  it("fall back (03:00 -> 02:00 on 2026-10-25): 02:30 fires once, the first time", async () => {
    expect(
      await fired("30 2 * * *", "Europe/Berlin", "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z"),
    ).toEqual(["2026-10-25T00:30:00.000Z"]);
  });

  it("every 30 minutes through the repeated hour: each wall-clock slot once", async () => {
    expect(
      await fired("*/30 * * * *", "Europe/Berlin", "2026-10-24T23:10:00Z", "2026-10-25T02:40:00Z"),
    ).toEqual([
      "2026-10-24T23:30:00.000Z", // 01:30 CEST
      "2026-10-25T00:00:00.000Z", // 02:00 CEST
      "2026-10-25T00:30:00.000Z", // 02:30 CEST; the second 02:00 and 02:30 (CET) do not fire again
      "2026-10-25T02:00:00.000Z", // 03:00 CET
      "2026-10-25T02:30:00.000Z",
    ]);
  });
});

describe("America/New_York", () => {
  it("spring forward (02:00 -> 03:00 on 2026-03-08): 02:30 fires once at 03:00 EDT", async () => {
    expect(
      await fired("30 2 * * *", "America/New_York", "2026-03-08T05:00:00Z", "2026-03-08T09:00:00Z"),
    ).toEqual(["2026-03-08T07:00:00.000Z"]);
  });

  it("fall back (02:00 -> 01:00 on 2026-11-01): 01:30 fires once, the first time (EDT)", async () => {
    expect(
      await fired("30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T08:00:00Z"),
    ).toEqual(["2026-11-01T05:30:00.000Z"]);
  });

  it("every 20 minutes over the skipped hour: its slots fire once, at 03:00", () => {
    const slots = compileCron("*/20 * * * *", "America/New_York")
      .next(Date.parse("2026-03-08T06:30:00Z"), 4)
      .map((t) => new Date(t).toISOString());
    expect(slots).toEqual([
      "2026-03-08T06:40:00.000Z", // 01:40 EST
      "2026-03-08T07:00:00.000Z", // 02:00, 02:20, 02:40 do not exist: once at 03:00 EDT (which is a slot too)
      "2026-03-08T07:20:00.000Z",
      "2026-03-08T07:40:00.000Z",
    ]);
  });
});
