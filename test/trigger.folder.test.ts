/**
 * The folder trigger on a real inbox directory with an injected clock: a file still being written is not
 * started until it has settled, a `*.part` renamed is started at once, each file starts one process and
 * moves to processed/ or failed/ when it ends, and a restart in between neither starts a file twice nor
 * forgets one.
 */
import { existsSync } from "node:fs";
import { appendFile, mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import type { NightshiftConfig } from "../src/config/config.js";
import type { Engine } from "../src/engine/engine.js";
import { createRegistry } from "../src/engine/registry.js";
import { configTriggers } from "../src/trigger/definition.js";
import { createFolderWatcher, type FolderWatcher } from "../src/trigger/folder.js";
import { scheduleScripts } from "./fixtures/schedule/scripts.js";
import { tempDir, testConfig, testEngine, waitFor } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const clock = { t: Date.parse("2026-06-01T10:00:00Z"), now: () => clock.t };

async function instance(dir: string, inbox: string): Promise<{ engine: Engine; watcher: FolderWatcher }> {
  const over: Partial<NightshiftConfig> = {
    raw: {
      triggers: {
        "vendor-drop": { script: "takes-input", args: ["--label", "vendor"], folder: inbox, settle: "2s" },
      },
    },
  };
  const config = await testConfig(dir, over);
  const scripts = createRegistry(scheduleScripts, config.scripts);
  const engine = await testEngine(dir, over, { clock, scripts });
  const dispatcher = engine.createDispatcher({ pollMs: 10 });
  await dispatcher.start();
  const [trigger] = configTriggers(engine.config, engine.scripts);
  return { engine, watcher: createFolderWatcher(engine, trigger) };
}

async function triggerProcesses(engine: Engine) {
  return engine.store.db
    .selectFrom("processes")
    .select(["id", "status", "trigger_name", "parameters"])
    .where("trigger_name", "=", "vendor-drop")
    .orderBy("id")
    .execute();
}

it("settles files being written, takes renamed .part files at once, and survives a restart without doubles or losses", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const inbox = join(dir.dir, "inbox");
  await mkdir(inbox);
  let a = await instance(dir.dir, inbox);
  let closeA: (() => Promise<void>) | undefined = () => a.engine.close();
  cleanups.push(async () => closeA?.());

  // still being written: seen, grows, then settles
  await writeFile(join(inbox, "a.txt"), "one\n");
  await a.watcher.scan();
  clock.t += 1500;
  await appendFile(join(inbox, "a.txt"), "two\n");
  await a.watcher.scan();
  clock.t += 1500;
  await a.watcher.scan(); // unchanged for 1.5 s only
  expect(await triggerProcesses(a.engine)).toHaveLength(0);
  clock.t += 1000;
  await a.watcher.scan();
  const [pa] = await triggerProcesses(a.engine);
  expect(pa).toBeDefined();
  expect(JSON.parse(pa.parameters)).toEqual([
    { name: "--label", value: "vendor" },
    { name: "--input", value: "a.txt" },
  ]);

  // a .part renamed to its name is complete at once; the .part itself is never taken
  await writeFile(join(inbox, "b.txt.part"), "x\ny\nz\n");
  await a.watcher.scan();
  expect(await triggerProcesses(a.engine)).toHaveLength(1);
  await rename(join(inbox, "b.txt.part"), join(inbox, "b.txt"));
  await a.watcher.scan();
  expect(await triggerProcesses(a.engine)).toHaveLength(2);

  // c.txt is seen but not yet settled when the instance stops; d.txt asks to fail
  await writeFile(join(inbox, "c.txt"), "c\n");
  await writeFile(join(inbox, "d.txt"), "FAIL\n");
  await a.watcher.scan();
  await waitFor("a and b ended", async () =>
    (await triggerProcesses(a.engine)).every((p) => p.status === "COMPLETED") ? true : undefined,
  );
  await a.engine.close();
  closeA = undefined;

  // restart: a new instance on the same data directory and inbox
  const b = await instance(dir.dir, inbox);
  a = b;
  cleanups.push(() => b.engine.close());
  await b.watcher.scan(); // moves a and b (their processes ended), first sight of c and d
  expect(await readdir(join(inbox, "processed"))).toEqual(["a.txt", "b.txt"]);
  expect(await triggerProcesses(b.engine)).toHaveLength(2);
  clock.t += 2500;
  await b.watcher.scan();
  await b.watcher.scan();
  const all = await triggerProcesses(b.engine);
  expect(all).toHaveLength(4);
  await waitFor("c and d ended", async () =>
    (await triggerProcesses(b.engine)).every((p) => p.status === "COMPLETED" || p.status === "FAILED")
      ? true
      : undefined,
  );
  await b.watcher.scan();
  expect((await readdir(join(inbox, "processed"))).sort()).toEqual(["a.txt", "b.txt", "c.txt"]);
  expect(await readdir(join(inbox, "failed"))).toEqual(["d.txt"]);
  expect(existsSync(join(inbox, "c.txt"))).toBe(false);
  // nothing is ever started twice, whatever is scanned again
  clock.t += 10_000;
  await b.watcher.scan();
  const final = await triggerProcesses(b.engine);
  expect(final).toHaveLength(4);
  expect(final.map((p) => p.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED", "FAILED"]);
  const view = await b.engine.service.getProcess(final[0].id);
  expect(view).toMatchObject({ startedBy: "trigger", trigger: "vendor-drop" });
});
