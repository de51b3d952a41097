/**
 * The firing ledger on one SQLite file: two instances (engines) with one injected clock fire each slot once;
 * overlap (skip, queue, allow) and catch-up (skip, once) policies; schedule state committed only when the
 * process ends COMPLETED.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { NightshiftConfig } from "../src/config/config.js";
import type { Engine } from "../src/engine/engine.js";
import { createRegistry } from "../src/engine/registry.js";
import { openSchedules } from "../src/schedule/index.js";
import type { Scheduler } from "../src/schedule/scheduler.js";
import { builtInScripts } from "../src/scripts/index.js";
import { scheduleScripts } from "./fixtures/schedule/scripts.js";
import { tempDir, testConfig, testEngine, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface FakeClock {
  t: number;
  now(): number;
}
const fakeClock = (iso: string): FakeClock => ({
  t: Date.parse(iso),
  now() {
    return this.t;
  },
});

async function instances(schedules: Record<string, unknown>, clock: FakeClock, count = 2) {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const over: Partial<NightshiftConfig> = { raw: { schedules } };
  const config = await testConfig(dir.dir, over);
  const scripts = createRegistry([...builtInScripts, ...scheduleScripts], config.scripts);
  const out: { engine: Engine; scheduler: Scheduler; slots: string[] }[] = [];
  for (let i = 0; i < count; i++) {
    const engine = await testEngine(dir.dir, over, { clock, workerId: `instance-${i}`, scripts });
    cleanups.push(() => engine.close());
    const slots: string[] = [];
    const scheduler = openSchedules(engine).createScheduler({
      graceMs: 5000,
      onSlot: (_s, slot, r) => slots.push(`${slot} ${r.kind}`),
    });
    out.push({ engine, scheduler, slots });
  }
  return out;
}

async function scheduleProcesses(engine: Engine, name: string) {
  return engine.store.db
    .selectFrom("processes")
    .select(["id", "scheduled_for", "status", "started_by", "schedule_name"])
    .where("schedule_name", "=", name)
    .orderBy("id")
    .execute();
}

async function firings(engine: Engine, name: string) {
  return engine.store.db
    .selectFrom("schedule_firings")
    .select(["slot", "kind", "process_id", "missed"])
    .where("schedule", "=", name)
    .orderBy("slot")
    .execute();
}

describe("exactly once", () => {
  it("two instances ticking together fire each per-second slot once", async () => {
    const clock = fakeClock("2026-06-01T10:00:00.500Z");
    const [a, b] = await instances(
      { every: { script: "tick", cron: "* * * * * *", timezone: "UTC", overlap: "allow" } },
      clock,
    );
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]); // first sight: starts counting
    for (let i = 0; i < 20; i++) {
      clock.t += 1000;
      // each instance is first now and then; then all of them at once
      await (i % 2 === 0 ? a : b).scheduler.tick();
      await Promise.all([a.scheduler.tick(), b.scheduler.tick(), b.scheduler.tick()]);
    }
    const rows = await scheduleProcesses(a.engine, "every");
    const slots = rows.map((r) => r.scheduled_for);
    expect(new Set(slots).size).toBe(rows.length);
    expect(slots).toEqual(
      Array.from({ length: 20 }, (_, i) =>
        new Date(Date.parse("2026-06-01T10:00:01Z") + i * 1000).toISOString(),
      ),
    );
    expect(rows.every((r) => r.started_by === "schedule")).toBe(true);
    const ledger = await firings(a.engine, "every");
    expect(ledger.map((f) => f.process_id)).toEqual(rows.map((r) => r.id));
    // both instances fired some
    expect(a.slots.some((s) => s.endsWith("fired"))).toBe(true);
    expect(b.slots.some((s) => s.endsWith("fired"))).toBe(true);
    const p = await a.engine.service.getProcess(rows[0].id);
    expect(p).toMatchObject({
      startedBy: "schedule",
      schedule: "every",
      scheduledFor: "2026-06-01T10:00:01.000Z",
    });
  });
});

describe("overlap", () => {
  it("skip: a slot while the last process has not ended is recorded as skipped, with no process", async () => {
    const clock = fakeClock("2026-06-01T10:00:00.500Z");
    const [a] = await instances({ s: { script: "tick", cron: "* * * * * *", timezone: "UTC" } }, clock, 1);
    await a.scheduler.tick();
    for (let i = 0; i < 3; i++) {
      clock.t += 1000;
      await a.scheduler.tick();
    }
    expect((await firings(a.engine, "s")).map((f) => f.kind)).toEqual(["fired", "skipped", "skipped"]);
    expect(await scheduleProcesses(a.engine, "s")).toHaveLength(1);
  });

  it("queue: slots wait for the last process and then run one after another", async () => {
    const clock = fakeClock("2026-06-01T10:00:00.500Z");
    const [a] = await instances(
      { q: { script: "tick", cron: "* * * * * *", timezone: "UTC", overlap: "queue" } },
      clock,
      1,
    );
    await a.scheduler.tick();
    for (let i = 0; i < 3; i++) {
      clock.t += 1000;
      await a.scheduler.tick();
    }
    expect((await firings(a.engine, "q")).map((f) => f.kind)).toEqual(["fired", "queued", "queued"]);
    const dispatcher = a.engine.createDispatcher({ pollMs: 10 });
    await dispatcher.start();
    for (let n = 2; n <= 3; n++) {
      const rows = await scheduleProcesses(a.engine, "q");
      await waitForStatus(a.engine, rows[rows.length - 1].id, "COMPLETED");
      await a.scheduler.tick();
      expect(await scheduleProcesses(a.engine, "q")).toHaveLength(n);
    }
    const rows = await scheduleProcesses(a.engine, "q");
    expect(rows.map((r) => r.scheduled_for)).toEqual([
      "2026-06-01T10:00:01.000Z",
      "2026-06-01T10:00:02.000Z",
      "2026-06-01T10:00:03.000Z",
    ]);
    expect((await firings(a.engine, "q")).every((f) => f.kind === "fired")).toBe(true);
  });

  it("allow: every slot gets a process whatever runs", async () => {
    const clock = fakeClock("2026-06-01T10:00:00.500Z");
    const [a] = await instances(
      { al: { script: "tick", cron: "* * * * * *", timezone: "UTC", overlap: "allow" } },
      clock,
      1,
    );
    await a.scheduler.tick();
    for (let i = 0; i < 3; i++) {
      clock.t += 1000;
      await a.scheduler.tick();
    }
    expect(await scheduleProcesses(a.engine, "al")).toHaveLength(3);
  });
});

describe("catch-up after downtime", () => {
  const hourly = (catchUp: string) => ({
    h: { script: "tick", cron: "0 * * * *", timezone: "UTC", overlap: "allow", catchUp },
  });

  it("skip: missed slots are recorded (counted) and never run; the next on-time slot runs", async () => {
    const clock = fakeClock("2026-06-01T10:30:00Z");
    const [a] = await instances(hourly("skip"), clock, 1);
    await a.scheduler.tick();
    clock.t = Date.parse("2026-06-01T15:10:00Z"); // down from 10:30 to 15:10: 11:00..15:00 missed
    await a.scheduler.tick();
    expect(await scheduleProcesses(a.engine, "h")).toHaveLength(0);
    expect(await firings(a.engine, "h")).toEqual([
      { slot: "2026-06-01T15:00:00.000Z", kind: "missed", process_id: null, missed: 5 },
    ]);
    clock.t = Date.parse("2026-06-01T16:00:01Z");
    await a.scheduler.tick();
    expect((await scheduleProcesses(a.engine, "h")).map((r) => r.scheduled_for)).toEqual([
      "2026-06-01T16:00:00.000Z",
    ]);
  });

  it("once: one run stands for all missed slots, never a storm", async () => {
    const clock = fakeClock("2026-06-01T10:30:00Z");
    const [a, b] = await instances(hourly("once"), clock, 2);
    await a.scheduler.tick();
    clock.t = Date.parse("2026-06-01T15:10:00Z");
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    const rows = await scheduleProcesses(a.engine, "h");
    expect(rows.map((r) => r.scheduled_for)).toEqual(["2026-06-01T15:00:00.000Z"]);
    expect(await firings(a.engine, "h")).toEqual([
      { slot: "2026-06-01T15:00:00.000Z", kind: "fired", process_id: rows[0].id, missed: 5 },
    ]);
  });

  it("a new schedule does not fire slots from before it existed", async () => {
    const clock = fakeClock("2026-06-01T10:30:00Z");
    const [a] = await instances(hourly("once"), clock, 1);
    await a.scheduler.tick();
    expect(await firings(a.engine, "h")).toEqual([]);
  });
});

describe("schedule state", () => {
  it("is committed only when the process ends COMPLETED", async () => {
    const clock = fakeClock("2026-06-01T10:00:00.500Z");
    const [a] = await instances(
      {
        ok: { script: "stateful", cron: "* * * * * *", timezone: "UTC" },
        bad: { script: "stateful", cron: "* * * * * *", timezone: "UTC", args: ["--fail"] },
      },
      clock,
      1,
    );
    const dispatcher = a.engine.createDispatcher({ pollMs: 10 });
    await dispatcher.start();
    const service = openSchedules(a.engine).service;
    await a.scheduler.tick();
    for (let run = 1; run <= 2; run++) {
      clock.t += 1000;
      await a.scheduler.tick();
      for (const name of ["ok", "bad"]) {
        const rows = await scheduleProcesses(a.engine, name);
        await waitForStatus(a.engine, rows[rows.length - 1].id, "COMPLETED", "FAILED");
      }
      expect((await service.get("ok")).state).toEqual({
        runs: run,
        slot: new Date(Date.parse("2026-06-01T10:00:00Z") + run * 1000).toISOString(),
      });
      // the failing one set {runs: 1} each time and never committed it: it starts from nothing again
      expect((await service.get("bad")).state).toBeNull();
    }
    const bad = await scheduleProcesses(a.engine, "bad");
    expect(bad.map((r) => r.status)).toEqual(["FAILED", "FAILED"]);
    // run now (no slot) reads the state and commits on COMPLETED too
    const p = await service.runNow("ok");
    await waitForStatus(a.engine, p.id, "COMPLETED");
    expect((await service.get("ok")).state).toEqual({ runs: 3, slot: null });
    expect((await service.get("ok")).lastProcess).toMatchObject({ id: p.id, status: "COMPLETED" });
    await waitFor("dispatcher idle", () => dispatcher.running().length === 0);
  });
});
