import { afterEach, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { tempDir, testEngine, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const create = (engine: Engine, argv: string[], resumedFrom?: number) =>
  engine.service.createProcess({
    script: "counter",
    parameters: parseArgv(engine.scripts.require("counter"), argv),
    startedBy: { source: "cli" },
    resumedFrom,
  });

it("graceful shutdown re-queues a running process, which resumes from its checkpoint after restart", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const first = await testEngine(dir.dir);
  const dispatcher = first.createDispatcher();
  await dispatcher.start();
  const { id } = await create(first, ["--to", "4", "--pause"]);
  await waitFor(
    "step 1 checkpointed",
    async () => (await first.service.getProcess(id))?.progress?.done === 1,
  );
  const requeued: number[] = [];
  first.events.on("process:requeued", ({ process }) => void requeued.push(process.id));
  await dispatcher.stop(2_000);
  expect(requeued).toEqual([id]);
  const queued = await first.service.getProcess(id);
  expect(queued?.status).toBe("SCHEDULED");
  expect(queued?.workerId).toBeNull();
  expect((await first.service.readLog(id)).text).toContain(
    "WARN stopped by worker shutdown; re-queued as SCHEDULED",
  );
  await first.close();

  const second = await testEngine(dir.dir);
  const again = second.createDispatcher();
  cleanups.push(
    () => second.close(),
    () => again.stop(50),
  );
  await again.start();
  const done = await waitForStatus(second, id, "COMPLETED");
  expect(done.result).toEqual({ from: 1, to: 4 });
  expect((await second.service.readLog(id)).text).toContain("INFO counting from 1 to 4");
});

it("a process started with resumedFrom reads the checkpoint of the one it resumes", async () => {
  const dir = await tempDir();
  const engine = await testEngine(dir.dir);
  const dispatcher = engine.createDispatcher();
  cleanups.push(
    dir.cleanup,
    () => engine.close(),
    () => dispatcher.stop(50),
  );
  await dispatcher.start();
  const first = await create(engine, ["--to", "3", "--pause"]);
  await waitFor("step 1", async () => (await engine.service.getProcess(first.id))?.progress?.done === 1);
  await engine.service.cancelProcess(first.id);
  await waitForStatus(engine, first.id, "CANCELLED");
  // A resume takes the same parameters (issue 17 item 3); --pause only pauses a run that starts at 0.
  const second = await create(engine, ["--to", "3", "--pause"], first.id);
  const done = await waitForStatus(engine, second.id, "COMPLETED");
  expect(done.resumedFrom).toBe(first.id);
  expect(done.result).toEqual({ from: 1, to: 3 });
});
