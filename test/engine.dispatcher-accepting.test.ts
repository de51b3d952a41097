import { afterEach, expect, it } from "vitest";
import { tempDir, testEngine } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("a dispatcher accepts work from start() until stop() (what serve's /readyz reports)", async () => {
  const dir = await tempDir();
  const engine = await testEngine(dir.dir);
  cleanups.push(dir.cleanup, () => engine.close());
  const dispatcher = engine.createDispatcher();
  expect(dispatcher.accepting()).toBe(false);
  await dispatcher.start();
  expect(dispatcher.accepting()).toBe(true);
  await dispatcher.stop(50);
  expect(dispatcher.accepting()).toBe(false);
});
