import { afterEach, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { tempDir, testEngine, waitForStatus } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(over = {}, dispatcherOptions = {}) {
  const dir = await tempDir();
  const engine = await testEngine(dir.dir, over);
  const dispatcher = engine.createDispatcher(dispatcherOptions);
  await dispatcher.start();
  cleanups.push(
    dir.cleanup,
    () => engine.close(),
    () => dispatcher.stop(50),
  );
  return engine;
}

const create = (engine: Engine, script: string) =>
  engine.service.createProcess({
    script,
    parameters: parseArgv(engine.scripts.require(script), []),
    startedBy: { source: "rest", userId: "u1" },
  });

it("a script past its timeout is aborted and ends FAILED with 'timed out after N s'", async () => {
  const engine = await setup();
  const { id } = await create(engine, "slow");
  const done = await waitForStatus(engine, id, "FAILED");
  expect(done.exitMessage).toBe("timed out after 0.15 s");
  expect((await engine.service.readLog(id)).text).toContain("ERROR FAILED: timed out after 0.15 s");
});

it("the config's per-script timeout overrides the script's", async () => {
  const engine = await setup({ scripts: { block: { timeoutMs: 80 } } });
  const { id } = await create(engine, "block");
  const done = await waitForStatus(engine, id, "FAILED");
  expect(done.exitMessage).toBe("timed out after 0.08 s");
});

it("a script that ignores its signal is ended after the abort grace period", async () => {
  const engine = await setup({ scripts: { stubborn: { timeoutMs: 50 } } }, { abortGraceMs: 100 });
  const { id } = await create(engine, "stubborn");
  const done = await waitForStatus(engine, id, "FAILED");
  expect(done.exitMessage).toBe("timed out after 0.05 s");
  expect((await engine.service.readLog(id)).text).toContain(
    "WARN script did not stop within 0.1 s of its abort",
  );
});
