import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BatchCheckpoint } from "../src/batch/checkpoint.js";
import type { Handler, ItemResult } from "../src/batch/item.js";
import type { BatchOptions } from "../src/batch/options.js";
import { runBatch } from "../src/batch/runner.js";
import { textNumberSource } from "../src/batch/sources/text.js";
import { createTestContext } from "./fixtures/batch/context.js";
import { jitter, numbersFile, reportRows } from "./fixtures/batch/helpers.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "batch-reported-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Every 7th item fails; the others end ok with a message naming their position. */
const resultOf = (position: number): ItemResult =>
  position % 7 === 0 ? { outcome: "failed", oclcCode: "X" } : { outcome: "ok", message: `p${position}` };

/** Collects what onReported is told. */
function hookLog() {
  const calls: { position: number; inputId: string; outcome: string }[] = [];
  const onReported: BatchOptions<string, string>["onReported"] = (position, item, result) => {
    calls.push({ position, inputId: item.inputId, outcome: result.outcome });
  };
  return { calls, onReported };
}

describe("onReported", () => {
  it("is called in input order although the handlers finish in any order", async () => {
    const N = 300;
    const input = numbersFile(dir, N);
    const finished: number[] = [];
    const hook = hookLog();
    const ctx = createTestContext(dir, 1);
    await runBatch(ctx, {
      source: textNumberSource(input),
      concurrency: 8,
      onReported: hook.onReported,
      handle: async (item) => {
        await jitter(30);
        finished.push(item.position);
        return resultOf(item.position);
      },
    });
    // The handlers did finish out of order (else this test would prove nothing).
    expect(finished).not.toEqual(range(1, N));
    expect(hook.calls.map((c) => c.position)).toEqual(range(1, N));
    expect(hook.calls.map((c) => c.inputId)).toEqual(range(1, N).map((p) => String(1000 + p)));
    expect(hook.calls.map((c) => c.outcome)).toEqual(range(1, N).map((p) => resultOf(p).outcome));
    // Each call comes after its report row: the rows on disk are the calls.
    expect(reportRows(ctx.read("report.csv")).map((r) => r.position)).toEqual(range(1, N));
  });

  it("a hook that throws stops the batch with its error; nothing after that item is reported", async () => {
    const input = numbersFile(dir, 100);
    const ctx = createTestContext(dir, 1);
    const run = runBatch(ctx, {
      source: textNumberSource(input),
      onReported: (position) => {
        if (position === 40) throw new Error("disk full");
      },
      handle: async (item) => {
        await jitter(5);
        return resultOf(item.position);
      },
    });
    await expect(run).rejects.toThrow("disk full");
    expect(reportRows(ctx.read("report.csv")).map((r) => r.position)).toEqual(range(1, 40));
  });
});

describe("keptResults after a cancel", () => {
  /**
   * A first run whose item 5 hangs until the cancel, so items after it complete and wait unreported in the
   * reorder buffer: the cancel saves them in the checkpoint as kept results.
   */
  async function cancelledRun(N: number) {
    const input = numbersFile(dir, N);
    const hook = hookLog();
    const first = createTestContext(dir, 1);
    let handled = 0;
    const handle: Handler<string, string> = async (item, env) => {
      if (item.position === 5) {
        await new Promise((_, reject) => env.signal.addEventListener("abort", reject, { once: true }));
      }
      await jitter(5);
      if (++handled === 30) first.abort();
      return resultOf(item.position);
    };
    await runBatch(first, { source: textNumberSource(input), onReported: hook.onReported, handle });
    const cp = JSON.parse(readFileSync(join(dir, "checkpoints", "1.json"), "utf8")) as BatchCheckpoint;
    expect(cp.nextPosition).toBe(5);
    expect(cp.done.length).toBeGreaterThanOrEqual(25);
    return { input, first: hook.calls, kept: cp.done.map(([p]) => p) };
  }

  it("redo: the resumed run hands kept results to the handler again (flagged) and reports the rest in order", async () => {
    const N = 120;
    const { input, first, kept } = await cancelledRun(N);
    expect(first.map((c) => c.position)).toEqual([1, 2, 3, 4]);
    const hook = hookLog();
    const calls = new Map<number, boolean>();
    let twice = 0;
    const second = createTestContext(dir, 2);
    const summary = await runBatch(second, {
      source: textNumberSource(input),
      resumeFrom: 1,
      keptResults: "redo",
      onReported: hook.onReported,
      handle: async (item) => {
        if (calls.has(item.position)) twice++;
        calls.set(item.position, item.maybeAttempted);
        await jitter(5);
        return resultOf(item.position);
      },
    });
    expect(summary).toMatchObject({ total: N, completed: true, resumedItems: 4 });
    expect(twice).toBe(0);
    // Not told about the rows it copied; told about every other item, in input order.
    expect(hook.calls.map((c) => c.position)).toEqual(range(5, N));
    expect([...calls.keys()].sort((a, b) => a - b)).toEqual(range(5, N));
    for (const p of kept) expect(calls.get(p)).toBe(true);
    expect(calls.get(5)).toBe(true); // interrupted by the cancel
    expect(reportRows(second.read("report.csv")).map((r) => r.position)).toEqual(range(1, N));
  });

  it("report (the default): kept results are reported as they are, without calling the handler", async () => {
    const N = 120;
    const { input, kept } = await cancelledRun(N);
    const hook = hookLog();
    const called = new Set<number>();
    const second = createTestContext(dir, 2);
    await runBatch(second, {
      source: textNumberSource(input),
      resumeFrom: 1,
      onReported: hook.onReported,
      handle: async (item) => {
        called.add(item.position);
        return resultOf(item.position);
      },
    });
    for (const p of kept) expect(called.has(p)).toBe(false);
    expect(hook.calls.map((c) => c.position)).toEqual(range(5, N));
  });
});
