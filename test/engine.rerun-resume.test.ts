import { afterEach, beforeEach, expect, it } from "vitest";
import type { Dispatcher } from "../src/engine/dispatcher.js";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { tempDir, testEngine, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";

let dir: Awaited<ReturnType<typeof tempDir>>;
let engine: Engine;
let dispatcher: Dispatcher;
beforeEach(async () => {
  dir = await tempDir();
  engine = await testEngine(dir.dir);
  dispatcher = engine.createDispatcher();
  await dispatcher.start();
});
afterEach(async () => {
  await engine.close();
  await dir.cleanup();
});

async function start(argv: string[]) {
  const counter = engine.scripts.require("counter");
  return engine.service.createProcess({
    script: "counter",
    parameters: parseArgv(counter, argv),
    startedBy: { source: "cli" },
  });
}

async function cancelledMidway() {
  const p = await start(["-n", "5", "--pause"]);
  await waitFor("step 1", async () => (await engine.service.getProcess(p.id))?.progress?.done === 1);
  await engine.service.cancelProcess(p.id);
  return waitForStatus(engine, p.id, "CANCELLED");
}

it("re-running a process that stopped with a checkpoint continues where it stopped", async () => {
  const stopped = await cancelledMidway();
  const again = await engine.service.rerun(stopped.id, { source: "rest", userId: "u1" });
  expect(again.resumedFrom).toBe(stopped.id);
  expect(again.parameters).toEqual(stopped.parameters);
});

it("re-running with resume: false starts from the beginning", async () => {
  const stopped = await cancelledMidway();
  const again = await engine.service.rerun(stopped.id, { source: "rest" }, { resume: false });
  expect(again.resumedFrom).toBeNull();
});

it("re-running a COMPLETED process is a fresh run", async () => {
  const p = await start(["-n", "2"]);
  await waitForStatus(engine, p.id, "COMPLETED");
  const again = await engine.service.rerun(p.id, { source: "rest" });
  expect(again.resumedFrom).toBeNull();
});

it("a resume of a COMPLETED process is refused, as `--resume` is (issue 17)", async () => {
  const p = await start(["-n", "2"]);
  await waitForStatus(engine, p.id, "COMPLETED");
  await expect(engine.service.rerun(p.id, { source: "rest" }, { resume: true })).rejects.toThrow(
    `process ${p.id} is COMPLETED`,
  );
  expect((await engine.service.listProcesses()).total).toBe(1);
});
