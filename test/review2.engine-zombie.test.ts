/**
 * Review 2: a script that ignores its abort goes on after its process ended. It must not move the checkpoint
 * a resumed process starts from, nor the progress, nor add lines to the ended process's log.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { ProcessNotOwnedError } from "../src/engine/errors.js";
import { parseArgv } from "../src/engine/parameters.js";
import { logPathRel } from "../src/engine/paths.js";
import { createRegistry } from "../src/engine/registry.js";
import { defineScript } from "../src/engine/script.js";
import { getProcess } from "../src/store/queries/get-process.js";
import { tempDir, testEngine, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let release: () => void = () => undefined;
let afterEnd: Promise<unknown> = Promise.resolve();
const released = () =>
  new Promise<void>((r) => {
    release = r;
  });

const scripts = createRegistry([
  defineScript({
    name: "stubborn",
    description: "Ignores its abort; carries on once the test lets it",
    parameters: [],
    timeoutMs: 30,
    async run(ctx) {
      await ctx.checkpoint.save({ at: 1 });
      ctx.progress(1, 10);
      const gate = released();
      await new Promise<void>((r) => ctx.signal.addEventListener("abort", () => r(), { once: true }));
      let outcome!: (v: unknown) => void;
      afterEnd = new Promise((r) => {
        outcome = r;
      });
      await gate;
      ctx.log.info("still here after the end");
      ctx.progress(9, 10);
      outcome(
        await ctx.checkpoint.save({ at: 2 }).then(
          () => "saved",
          (err: unknown) => err,
        ),
      );
    },
  }),
]);

it("a script still going after its process ended FAILED saves nothing and logs nothing", async () => {
  const { dir, cleanup } = await tempDir();
  const engine = await testEngine(dir, {}, { scripts });
  cleanups.push(cleanup, () => engine.close());
  await engine.createDispatcher({ abortGraceMs: 20, progressFlushMs: 5 }).start();
  const created = await engine.service.createProcess({
    script: "stubborn",
    parameters: parseArgv(scripts.require("stubborn"), []),
    startedBy: { source: "cli" },
  });
  const ended = await waitForStatus(engine, created.id, "FAILED");
  expect(ended.exitMessage).toBe("timed out after 0.03 s");
  const logBefore = await readFile(join(dir, logPathRel(created.id)), "utf8");
  release();
  const outcome = await waitFor("the late save", () => afterEnd);
  expect(outcome).toBeInstanceOf(ProcessNotOwnedError);
  const row = await getProcess(engine.store.db, created.id);
  expect(row?.checkpoint).toBe('{"at":1}');
  expect(row?.progress_done).not.toBe(9);
  expect(await readFile(join(dir, logPathRel(created.id)), "utf8")).toBe(logBefore);
});
