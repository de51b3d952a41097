/**
 * Review of the batch engine's exactly-once promise where a checkpoint cannot be saved, and of the WorldCat
 * batch glue choosing what to resume from when a process given `--resume` runs again after a shutdown.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Handler, ItemResult } from "../src/batch/item.js";
import { runBatch } from "../src/batch/runner.js";
import { textNumberSource } from "../src/batch/sources/text.js";
import type { ScriptContext } from "../src/engine/script.js";
import { runWorldCatBatch } from "../src/scripts/worldcat/batch.js";
import type { Connection } from "../src/scripts/worldcat/connect.js";
import { createTestContext, type TestContext } from "./fixtures/batch/context.js";
import { numbersFile, reportRows } from "./fixtures/batch/helpers.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "review-batch-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ok: ItemResult = { outcome: "ok" };

/** Handler calls per position, and the positions flagged `maybeAttempted`. */
function recorder() {
  const calls = new Map<number, number>();
  const flagged = new Set<number>();
  return {
    calls,
    flagged,
    record(position: number, maybeAttempted: boolean) {
      calls.set(position, (calls.get(position) ?? 0) + 1);
      if (maybeAttempted) flagged.add(position);
    },
  };
}

/** Every position handled more than once must have been flagged the second time. */
function expectNoBlindRedo(rec: ReturnType<typeof recorder>) {
  const blind = [...rec.calls].filter(([p, n]) => n > 1 && !rec.flagged.has(p)).map(([p]) => p);
  expect(blind).toEqual([]);
}

it("a batch whose first checkpoint cannot be saved starts no item (a crash could not be resumed exactly)", async () => {
  const N = 60;
  const input = numbersFile(dir, N);
  const rec = recorder();
  // Process 1 is cancelled at item 10: its clean checkpoint says what it did.
  const first = createTestContext(dir, 1);
  await runBatch(first, {
    source: textNumberSource(input),
    concurrency: 1,
    handle: async (item) => {
      rec.record(item.position, item.maybeAttempted);
      if (item.position === 10) first.abort();
      return ok;
    },
  });
  // Process 2 resumes it; every save after the copy of process 1's checkpoint fails; it dies at item 40.
  const second = createTestContext(dir, 2);
  let saves = 0;
  const failing: TestContext = {
    ...second,
    checkpoint: {
      ...second.checkpoint,
      async save(state) {
        if (++saves > 1) throw new Error("disk full");
        await second.checkpoint.save(state);
      },
    },
  };
  const handle2: Handler<string, string> = async (item) => {
    rec.record(item.position, item.maybeAttempted);
    if (item.position === 40) second.abort();
    return ok;
  };
  await runBatch(failing, {
    source: textNumberSource(input),
    concurrency: 1,
    resumeFrom: 1,
    handle: handle2,
  }).catch(() => undefined);
  // Process 3 resumes process 2 from whatever process 2 left.
  const third = createTestContext(dir, 3);
  const summary = await runBatch(third, {
    source: textNumberSource(input),
    resumeFrom: 2,
    handle: async (item) => {
      rec.record(item.position, item.maybeAttempted);
      return ok;
    },
  });
  expect(summary.total).toBe(N);
  expect(reportRows(third.read("report.csv")).map((r) => r.position)).toEqual(
    Array.from({ length: N }, (_, i) => i + 1),
  );
  expectNoBlindRedo(rec);
});

/** The bits of a script context and a WorldCat connection runWorldCatBatch uses. */
function scriptContext(ctx: TestContext, outputPrefix = ""): ScriptContext {
  return {
    ...ctx,
    params: {},
    input: () => "",
    services: {},
    output: (name: string) => ctx.output(`${outputPrefix}${name}`),
  };
}

const connection = {
  client: { account: { concurrency: 4 }, label: "test" },
  service: { onTransportLog: () => () => undefined },
} as unknown as Connection;

it("a process given --resume that a shutdown re-queued continues from its own checkpoint, not the older one", async () => {
  const N = 80;
  const input = numbersFile(dir, N);
  const rec = recorder();
  const run = (ctx: TestContext, stopAt: number, resumeFrom: number | undefined, prefix = "") =>
    runWorldCatBatch(
      scriptContext(ctx, prefix),
      connection,
      { dryRun: false, concurrency: 1, resumeFrom },
      {
        source: textNumberSource(input),
        handle: async (item) => {
          rec.record(item.position, item.maybeAttempted);
          if (item.position === stopAt) ctx.abort();
          return ok;
        },
      },
    );
  await run(createTestContext(dir, 1), 10, undefined); // cancelled at item 10
  await run(createTestContext(dir, 2), 30, 1); // `--resume 1`, stopped by a shutdown at item 30
  // The engine runs process 2 again (same id, same parameters); its outputs get new names.
  const again = createTestContext(dir, 2);
  const summary = await run(again, 0, 1, "again-");
  expect(summary.total).toBe(N);
  expect(summary.completed).toBe(true);
  expectNoBlindRedo(rec);
  expect([...rec.calls.values()].every((n) => n === 1)).toBe(true);
});

it("a classifier that throws stops the batch with its error instead of hanging it (and no unhandled rejection)", async () => {
  const input = numbersFile(dir, 20);
  const ctx = createTestContext(dir, 1);
  const run = runBatch(ctx, {
    source: textNumberSource(input),
    concurrency: 2,
    handle: async (item) => {
      if (item.position === 3) throw new Error("HTTP 500");
      return ok;
    },
    classifyError: () => {
      throw new Error("classifier broke");
    },
  });
  const outcome = await Promise.race([
    run.then(
      () => "resolved",
      (err: Error) => err.message,
    ),
    new Promise((r) => setTimeout(() => r("still running after 5 s"), 5_000)),
  ]);
  expect(outcome).toBe("classifier broke");
});
