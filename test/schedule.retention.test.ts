/**
 * Retention by default (issue 16): a fresh data directory has the built-in `retention` schedule (process-cleaner,
 * 180 days, 03:30 daily); it fires on its slot (injected clock) and deletes old finished processes while old
 * SCHEDULED and RUNNING work and recent processes stay; it is listed and changed over REST like a stored
 * schedule (a change stores it, removing the stored one brings the default back, the built-in itself is never
 * removed); `retention:` in the config file sets it (read-only through the API), `retention: false` removes
 * it, and a bad value is refused with file:line.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, type NightshiftConfig } from "../src/config/config.js";
import { parseArgv } from "../src/engine/parameters.js";
import { openSchedules } from "../src/schedule/index.js";
import { createUserDirectory } from "../src/server/auth/users.js";
import { startServer } from "../src/server/start.js";
import { tempDir, testEngine, waitForStatus } from "./fixtures/scripts/harness.js";

const DAY = 86_400_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function engineWith(over: Partial<NightshiftConfig> = {}, clock?: { now(): number }) {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const engine = await testEngine(dir.dir, over, clock ? { clock } : {});
  cleanups.push(() => engine.close());
  return { engine, dir: dir.dir };
}

/** Loads a config file written with `text` (so that errors name its lines). */
async function configFrom(text: string): Promise<{ config: NightshiftConfig; file: string }> {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const file = join(dir.dir, "nightshift.yaml");
  await writeFile(file, text);
  return { config: await loadConfig({ dataDir: join(dir.dir, "data"), configPath: file, env: {} }), file };
}

describe("the built-in retention schedule", () => {
  it("exists on a fresh data directory: process-cleaner --days 180 at 03:30 every day, changeable", async () => {
    const { engine } = await engineWith();
    const list = await openSchedules(engine).service.list();
    const retention = list.find((s) => s.definition.name === "retention");
    expect(retention?.definition).toMatchObject({
      script: "process-cleaner",
      args: ["--days", "180"],
      cron: "30 3 * * *",
      enabled: true,
      overlap: "skip",
      catchUp: "once",
      source: "builtin",
    });
    expect(retention?.readOnly).toBe(false);
    expect(retention?.nextRuns).toHaveLength(5);
  });

  it("fires on its slot and deletes old finished processes; SCHEDULED, RUNNING and recent ones stay", async () => {
    let now = Date.now() - 200 * DAY;
    const clock = { now: () => now };
    const { engine } = await engineWith({}, clock);
    const dispatcher = engine.createDispatcher({ pollMs: 20 });
    cleanups.push(() => dispatcher.stop(100));
    await dispatcher.start();
    const make = (script: string, argv: string[] = [], runAt?: Date) =>
      engine.service.createProcess({
        script,
        parameters: parseArgv(engine.scripts.require(script), argv),
        startedBy: { source: "cli" },
        ...(runAt ? { runAt } : {}),
      });
    const oldDone = await make("echo", ["-m", "old"]);
    await waitForStatus(engine, oldDone.id, "COMPLETED");
    const oldFailed = await make("fail");
    await waitForStatus(engine, oldFailed.id, "FAILED");
    const oldRunning = await make("block");
    await waitForStatus(engine, oldRunning.id, "RUNNING");
    // Queued 200 days ago to run in a year: still SCHEDULED when the cleaner runs.
    const oldQueued = await make("echo", ["-m", "later"], new Date(Date.now() + 365 * DAY));
    now = Date.now() - 170 * DAY; // inside 180 days: kept
    const recent = await make("echo", ["-m", "recent"]);
    await waitForStatus(engine, recent.id, "COMPLETED");

    const schedules = openSchedules(engine);
    const retention = await schedules.service.get("retention");
    // The slot of the last 24 hours (the cleaner measures age against the real clock).
    const [slot] = (await schedules.source.get("retention"))?.cron.next(Date.now() - DAY, 1) ?? [];
    const fired: string[] = [];
    const scheduler = schedules.createScheduler({
      onSlot: (name, at, r) => fired.push(`${name} ${at} ${r.kind}`),
    });
    now = slot - 5_000;
    await scheduler.tick(); // first sight: counts from here
    expect(fired).toEqual([]);
    now = slot + 1_000;
    await scheduler.tick();
    expect(fired).toEqual([`retention ${new Date(slot).toISOString()} fired`]);
    expect(retention.definition.enabled).toBe(true);

    const { items } = await engine.service.listProcesses({ script: "process-cleaner" });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ startedBy: "schedule", schedule: "retention" });
    const cleaner = await waitForStatus(engine, items[0].id, "COMPLETED");
    expect(cleaner.result).toMatchObject({ deleted: 2, dryRun: false });
    const left = await engine.service.listProcesses({ sort: { field: "id", direction: "asc" } });
    expect(left.items.map((p) => [p.id, p.status])).toEqual([
      [oldRunning.id, "RUNNING"],
      [oldQueued.id, "SCHEDULED"],
      [recent.id, "COMPLETED"],
      [cleaner.id, "COMPLETED"],
    ]);
    // The next day's slot fires again, the one after the first ends.
    now = slot + DAY + 1_000;
    await scheduler.tick();
    expect(fired).toHaveLength(2);
    await engine.service.cancelProcess(oldRunning.id);
  });

  it("is listed and changed over REST; removing the stored change brings the default back", async () => {
    const { engine } = await engineWith();
    const directory = createUserDirectory(engine.store);
    await directory.add({ name: "root", role: "admin", password: "correct horse battery" });
    const token = await directory.issueToken("root");
    const server = await startServer(engine, { port: 0, host: "127.0.0.1", bootstrapAdmin: false });
    cleanups.push(() => server.close());
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.url}/api/system/schedules${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const listed = await call("GET", "");
    expect(listed.status).toBe(200);
    expect(listed.body._embedded.schedules).toEqual([
      expect.objectContaining({
        name: "retention",
        source: "builtin",
        readOnly: false,
        args: ["--days", "180"],
      }),
    ]);
    // Its own name is taken.
    expect((await call("POST", "", { name: "retention", script: "echo", cron: "0 1 * * *" })).status).toBe(
      409,
    );
    // The built-in itself is never removed: disabled instead.
    const refused = await call("DELETE", "/retention");
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain("is built in and cannot be removed");

    const changed = await call("PATCH", "/retention", { args: ["--days", "90"], cron: "0 4 * * *" });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ source: "api", args: ["--days", "90"], cron: "0 4 * * *" });
    const disabled = await call("PATCH", "/retention", { enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false, args: ["--days", "90"], nextRuns: [] });
    expect((await call("GET", "/retention")).body).toMatchObject({ source: "api", enabled: false });
    expect((await call("GET", "")).body._embedded.schedules).toHaveLength(1);

    expect((await call("DELETE", "/retention")).status).toBe(204);
    expect((await call("GET", "/retention")).body).toMatchObject({
      source: "builtin",
      enabled: true,
      args: ["--days", "180"],
    });
  });
});

describe("retention in the config file", () => {
  it("`retention: 30` sets the days, read-only through the API", async () => {
    const { config } = await configFrom("retention: 30\n");
    const { engine } = await engineWith({ raw: config.raw });
    const service = openSchedules(engine).service;
    const s = await service.get("retention");
    expect(s.definition).toMatchObject({ args: ["--days", "30"], source: "config" });
    expect(s.readOnly).toBe(true);
    await expect(service.setEnabled("retention", false)).rejects.toThrow(/read-only/);
  });

  it("a mapping sets days, time, zone and enabled", async () => {
    const { config } = await configFrom(
      'retention:\n  days: 365\n  cron: "15 1 * * 0"\n  timezone: Europe/Berlin\n  enabled: false\n',
    );
    const { engine } = await engineWith({ raw: config.raw });
    const s = await openSchedules(engine).service.get("retention");
    expect(s.definition).toMatchObject({
      args: ["--days", "365"],
      cron: "15 1 * * 0",
      timezone: "Europe/Berlin",
      enabled: false,
    });
    expect(s.nextRuns).toEqual([]);
  });

  it("`retention: false` turns it off; a config schedule named retention replaces it", async () => {
    const off = await configFrom("retention: false\n");
    const a = await engineWith({ raw: off.config.raw });
    expect((await openSchedules(a.engine).service.list()).map((s) => s.definition.name)).toEqual([]);
    const own = await configFrom(
      'schedules:\n  retention:\n    script: process-cleaner\n    args: ["--days", "14"]\n    cron: "0 5 * * *"\n',
    );
    const b = await engineWith({ raw: own.config.raw });
    const list = await openSchedules(b.engine).service.list();
    expect(list.map((s) => [s.definition.name, s.definition.args, s.definition.source])).toEqual([
      ["retention", ["--days", "14"], "config"],
    ]);
  });

  it("a bad value is refused naming the file and line", async () => {
    const { config, file } = await configFrom("port: 8080\nretention:\n  days: 0\n");
    const { engine } = await engineWith({ raw: config.raw, configPath: file });
    expect(() => openSchedules(engine)).toThrow(`${file}:3`);
    expect(() => openSchedules(engine)).toThrow(/retention\.days.*1 or more/);
    const typo = await configFrom("retention:\n  day: 30\n");
    const b = await engineWith({ raw: typo.config.raw, configPath: typo.file });
    expect(() => openSchedules(b.engine)).toThrow(/retention\.day: unknown key/);
  });
});
