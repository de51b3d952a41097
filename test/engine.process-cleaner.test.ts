import { stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { tempDir, testEngine, waitForStatus } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const DAY = 86_400_000;

it("deletes finished processes older than N days with their files; --dry-run deletes nothing", async () => {
  const dir = await tempDir();
  let now = Date.now() - 30 * DAY;
  const engine: Engine = await testEngine(dir.dir, {}, { clock: { now: () => now } });
  const dispatcher = engine.createDispatcher();
  cleanups.push(
    dir.cleanup,
    () => engine.close(),
    () => dispatcher.stop(50),
  );
  await dispatcher.start();
  const make = (script: string, argv: string[] = [], runAt?: Date) =>
    engine.service.createProcess({
      script,
      parameters: parseArgv(engine.scripts.require(script), argv),
      startedBy: { source: "schedule" },
      ...(runAt ? { runAt } : {}),
    });
  const old = await make("echo", ["-m", "old"]);
  await waitForStatus(engine, old.id, "COMPLETED");
  // Due tomorrow, so it is still SCHEDULED when cancelled (a running dispatcher is woken by every new process).
  const oldQueued = await make("echo", ["-m", "queued"], new Date(now + DAY));
  await engine.service.cancelProcess(oldQueued.id); // CANCELLED, old: goes
  const oldRunning = await make("block"); // RUNNING, old: stays
  await waitForStatus(engine, oldRunning.id, "RUNNING");
  now = Date.now() - 5 * DAY;
  const recent = await make("echo", ["-m", "recent"]);
  await waitForStatus(engine, recent.id, "COMPLETED");
  now = Date.now();

  const dry = await make("process-cleaner", ["--days", "7", "--dry-run"]);
  const dryDone = await waitForStatus(engine, dry.id, "COMPLETED");
  expect(dryDone.result).toMatchObject({ wouldDelete: 2, dryRun: true });
  expect((await engine.service.listProcesses()).total).toBe(5);

  const clean = await make("process-cleaner", ["-d", "7"]);
  const done = await waitForStatus(engine, clean.id, "COMPLETED");
  expect(done.result).toMatchObject({ deleted: 2, dryRun: false });
  const left = (await engine.service.listProcesses({ sort: { field: "id", direction: "asc" } })).items.map(
    (p) => p.id,
  );
  expect(left).toEqual([oldRunning.id, recent.id, dry.id, clean.id]);
  await expect(stat(join(dir.dir, "processes", String(old.id)))).rejects.toThrow(/ENOENT/);
  const log = (await engine.service.readLog(clean.id)).text;
  expect(log).toContain(`INFO deleted process ${old.id} (echo, COMPLETED, created `);
  expect(log).toContain(`INFO deleted process ${oldQueued.id} (echo, CANCELLED, created `);
  await engine.service.cancelProcess(oldRunning.id);
});
