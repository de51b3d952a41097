import { afterEach, expect, it } from "vitest";
import type { Dispatcher } from "../src/engine/dispatcher.js";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { tempDir, testEngine, waitFor } from "./fixtures/scripts/harness.js";
import { singleProbe } from "./fixtures/scripts/test-scripts.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("two processes of a singleton script never overlap, even across two workers on one database", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const engines: Engine[] = [];
  const dispatchers: Dispatcher[] = [];
  for (let i = 0; i < 2; i++) {
    const engine = await testEngine(dir.dir);
    const dispatcher = engine.createDispatcher({ concurrency: 4, pollMs: 5 });
    engines.push(engine);
    dispatchers.push(dispatcher);
    cleanups.push(
      () => engine.close(),
      () => dispatcher.stop(50),
    );
  }
  // Both workers also run the unrestricted `trivial` script beside it, so free slots exist.
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) {
    for (const script of ["single", "trivial"]) {
      const p = await engines[i % 2].service.createProcess({
        script,
        parameters: parseArgv(engines[0].scripts.require(script), []),
        startedBy: { source: "cli" },
      });
      ids.push(p.id);
    }
  }
  await Promise.all(dispatchers.map((d) => d.start()));
  await waitFor("all processes to complete", async () => {
    const { total } = await engines[0].service.listProcesses({ status: ["COMPLETED"] });
    return total === ids.length;
  });
  expect(singleProbe.runs).toBe(6);
  expect(singleProbe.max).toBe(1);
  // (No check on the recorded start/end times: a claim stamps its start before its write lock is granted, so
  // the times may touch without any real overlap. The probe above counts what really ran at once.)
});
