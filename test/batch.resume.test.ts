import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BatchCheckpoint } from "../src/batch/checkpoint.js";
import { BatchResumeError } from "../src/batch/errors.js";
import type { Handler, ItemResult } from "../src/batch/item.js";
import { runBatch } from "../src/batch/runner.js";
import { textNumberSource } from "../src/batch/sources/text.js";
import { createTestContext } from "./fixtures/batch/context.js";
import { jitter, numbersFile, reportRows, until } from "./fixtures/batch/helpers.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "batch-resume-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The intended result of each item: every 5th fails, so failures files and counts are exercised too. */
const resultOf = (position: number): ItemResult =>
  position % 5 === 0
    ? { outcome: "failed", oclcCode: "WS-409", message: `no ${position}` }
    : { outcome: "ok" };

/** Counts handler calls per position and remembers which calls said "may have been attempted". */
function recorder() {
  const calls = new Map<number, number>();
  const flagged = new Set<number>();
  const record = (position: number, maybeAttempted: boolean) => {
    calls.set(position, (calls.get(position) ?? 0) + 1);
    if (maybeAttempted) flagged.add(position);
  };
  return { calls, flagged, record };
}

function expectComplete(text: string, n: number): void {
  const rows = reportRows(text);
  expect(rows.map((r) => r.position)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  for (const r of rows) {
    expect(r.inputId).toBe(String(1000 + r.position));
    expect(r.outcome).toBe(resultOf(r.position).outcome);
  }
}

describe("resume after cancel", () => {
  it("gives a complete report with each item handled exactly once", async () => {
    const N = 400;
    const input = numbersFile(dir, N);
    const rec = recorder();
    const first = createTestContext(dir, 1);
    const handle: Handler<string, string> = async (item) => {
      rec.record(item.position, item.maybeAttempted);
      if (item.position === 137) first.abort();
      await jitter(10);
      return resultOf(item.position);
    };
    const s1 = await runBatch(first, { source: textNumberSource(input), handle, checkpointEvery: 50 });
    expect(s1.completed).toBe(false);
    expect(s1.total).toBeLessThan(N);
    const cp = JSON.parse(readFileSync(join(dir, "checkpoints", "1.json"), "utf8")) as BatchCheckpoint;
    expect(cp).toMatchObject({ clean: true, finished: false, nextPosition: s1.total + 1 });

    const second = createTestContext(dir, 2);
    const s2 = await runBatch(second, { source: textNumberSource(input), handle, resumeFrom: 1 });
    expectComplete(second.read("report.csv"), N);
    expect([...rec.calls.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect([...rec.calls.values()].every((c) => c === 1)).toBe(true);
    expect(rec.flagged.size).toBe(0);
    expect(s2).toMatchObject({ total: N, resumedFrom: 1, resumedItems: s1.total, completed: true });
    expect(s2.byOutcome).toEqual({ ok: N - N / 5, skipped: 0, failed: N / 5, unknown: 0 });
    // The new failures file holds the failures of both runs, in input order.
    const failures = second.read("failures.txt").trim().split("\n");
    expect(failures).toEqual(Array.from({ length: N / 5 }, (_, i) => String(1000 + 5 * (i + 1))));
  });

  it("flags items whose handler gave up on cancel, and redoes only those", async () => {
    const N = 120;
    const input = numbersFile(dir, N);
    const rec = recorder();
    const first = createTestContext(dir, 1);
    const interrupted: number[] = [];
    const s1 = await runBatch(first, {
      source: textNumberSource(input),
      concurrency: 4,
      handle: async (item, env) => {
        rec.record(item.position, item.maybeAttempted);
        if (item.position === 50) first.abort();
        await jitter(5);
        if (env.signal.aborted) interrupted.push(item.position);
        env.signal.throwIfAborted(); // an honest handler stops at once
        return resultOf(item.position);
      },
    });
    expect(interrupted.length).toBeGreaterThan(0);
    expect(Math.min(...interrupted)).toBeGreaterThan(s1.total);

    const second = createTestContext(dir, 2);
    await runBatch(second, {
      source: textNumberSource(input),
      resumeFrom: 1,
      handle: async (item) => {
        rec.record(item.position, item.maybeAttempted);
        return resultOf(item.position);
      },
    });
    expectComplete(second.read("report.csv"), N);
    const twice = [...rec.calls.entries()].filter(([, c]) => c > 1).map(([p]) => p);
    expect([...rec.calls.values()].every((c) => c <= 2)).toBe(true);
    expect(twice.sort((a, b) => a - b)).toEqual(interrupted.sort((a, b) => a - b));
    expect([...rec.flagged].sort((a, b) => a - b)).toEqual(interrupted);
  });

  it("resumes a resumed process: the chain ends with one complete report", async () => {
    const N = 300;
    const input = numbersFile(dir, N);
    const rec = recorder();
    for (const [id, stopAt] of [
      [1, 80],
      [2, 190],
      [3, 0],
    ] as const) {
      const ctx = createTestContext(dir, id);
      await runBatch(ctx, {
        source: textNumberSource(input),
        resumeFrom: id === 1 ? undefined : id - 1,
        handle: async (item) => {
          rec.record(item.position, item.maybeAttempted);
          if (item.position === stopAt) ctx.abort();
          return resultOf(item.position);
        },
      });
      if (id === 3) expectComplete(ctx.read("report.csv"), N);
    }
    expect([...rec.calls.values()].every((c) => c === 1)).toBe(true);
    expect(rec.calls.size).toBe(N);
  });
});

describe("resume after a crash (no final checkpoint)", () => {
  /**
   * Runs until the handler hangs on every slot (the process "dies" there): positions from `crashAt` on,
   * every third one, never finish; the others finish. Returns once the runner can do nothing more.
   */
  async function crashedRun(N: number, checkpointEvery: number, rec: ReturnType<typeof recorder>) {
    const input = numbersFile(dir, N);
    const first = createTestContext(dir, 1);
    const crashAt = 101;
    const hung = new Set<number>();
    let started = 0;
    let finished = 0;
    void runBatch(first, {
      source: textNumberSource(input),
      concurrency: 4,
      reorderWindow: 16,
      checkpointEvery,
      checkpointIntervalMs: 1e9,
      handle: async (item) => {
        rec.record(item.position, item.maybeAttempted);
        started++;
        if (item.position >= crashAt && (item.position - crashAt) % 3 === 0) {
          hung.add(item.position);
          return new Promise<ItemResult>(() => {});
        }
        await jitter(3);
        finished++;
        return resultOf(item.position);
      },
    });
    await until(() => hung.size === 4 && finished === started - hung.size);
    first.crash();
    return { input, crashAt, hung };
  }

  it("redoes only what may have been attempted, flagged, and reports every item once", async () => {
    const N = 200;
    const rec = recorder();
    const { input, crashAt, hung } = await crashedRun(N, 7, rec);
    const firstRun = new Map(rec.calls);
    const second = createTestContext(dir, 2);
    const summary = await runBatch(second, {
      source: textNumberSource(input),
      resumeFrom: 1,
      handle: async (item) => {
        rec.record(item.position, item.maybeAttempted);
        return resultOf(item.position);
      },
    });
    expectComplete(second.read("report.csv"), N);
    expect(summary.total).toBe(N);
    expect(summary.resumedItems).toBe(crashAt - 1);
    // Every item attempted by the dead process and done again was flagged; nothing else was done twice.
    for (const [p, count] of rec.calls) {
      if (count > 1) expect(rec.flagged.has(p)).toBe(true);
      expect(count).toBeLessThanOrEqual(2);
    }
    for (const p of hung) expect(rec.flagged.has(p)).toBe(true);
    for (const p of rec.flagged) expect(firstRun.has(p) || p < crashAt + 16).toBe(true);
    // Only the window past the last reported row is suspect.
    expect(Math.min(...rec.flagged)).toBeGreaterThanOrEqual(crashAt);
    expect(Math.max(...rec.flagged)).toBeLessThan(crashAt + 16);
  });

  it("trusts the rows on disk past the last checkpoint: reported items are not redone", async () => {
    const N = 150;
    const rec = recorder();
    // Only the initial checkpoint (nextPosition 1) is ever saved.
    const { input, crashAt } = await crashedRun(N, 1e9, rec);
    const cp = JSON.parse(readFileSync(join(dir, "checkpoints", "1.json"), "utf8")) as BatchCheckpoint;
    expect(cp.nextPosition).toBe(1);
    const second = createTestContext(dir, 2);
    await runBatch(second, {
      source: textNumberSource(input),
      resumeFrom: 1,
      handle: async (item) => {
        rec.record(item.position, item.maybeAttempted);
        return resultOf(item.position);
      },
    });
    expectComplete(second.read("report.csv"), N);
    for (let p = 1; p < crashAt; p++) expect(rec.calls.get(p)).toBe(1);
  });

  it("ignores a row cut short at the end of the old report", async () => {
    const N = 150;
    const rec = recorder();
    const { input, crashAt } = await crashedRun(N, 10, rec);
    appendFileSync(
      join(dir, "process-1", "report.csv"),
      `${crashAt},${1000 + crashAt},${1000 + crashAt},,,o`,
    );
    const second = createTestContext(dir, 2);
    await runBatch(second, {
      source: textNumberSource(input),
      resumeFrom: 1,
      handle: async (item) => resultOf(item.position),
    });
    expectComplete(second.read("report.csv"), N);
  });
});

describe("resume from a checkpoint", () => {
  it("reports kept out-of-order results without calling the handler again", async () => {
    const N = 30;
    const input = numbersFile(dir, N);
    const first = createTestContext(dir, 1);
    // An old run that reported 10 rows, finished 12 and 15 out of order, and was in flight on 11 and 13.
    await runBatch(first, {
      source: textNumberSource(numbersFile(dir, 10, "first10.txt")),
      handle: async (item) => resultOf(item.position),
    });
    const cp: BatchCheckpoint = {
      kind: "nightshift.batch",
      version: 1,
      reportPath: first.files.get("report.csv")!,
      nextPosition: 11,
      window: 8,
      done: [
        [12, { outcome: "skipped", message: "kept 12" }],
        [15, { outcome: "ok", action: "set", message: "kept 15" }],
      ],
      suspects: [],
      clean: false,
      finished: false,
    };
    await first.checkpoint.save(cp);
    const rec = recorder();
    const second = createTestContext(dir, 2);
    await runBatch(second, {
      source: textNumberSource(input),
      resumeFrom: 1,
      handle: async (item) => {
        rec.record(item.position, item.maybeAttempted);
        return resultOf(item.position);
      },
    });
    const rows = reportRows(second.read("report.csv"));
    expect(rows).toHaveLength(N);
    expect(rows[11]).toMatchObject({ position: 12, outcome: "skipped", message: "kept 12" });
    expect(rows[14]).toMatchObject({ position: 15, outcome: "ok", action: "set", message: "kept 15" });
    expect(rec.calls.has(12) || rec.calls.has(15)).toBe(false);
    for (let p = 1; p <= 10; p++) expect(rec.calls.has(p)).toBe(false);
    // Window 8 past row 10, without the kept ones: 11, 13, 14, 16, 17, 18.
    expect([...rec.flagged].sort((a, b) => a - b)).toEqual([11, 13, 14, 16, 17, 18]);
  });

  it("carries kept results not yet reached into its own checkpoints (a resumed run that crashes)", async () => {
    const N = 40;
    const input = numbersFile(dir, N);
    const first = createTestContext(dir, 1);
    await runBatch(first, {
      source: textNumberSource(numbersFile(dir, 10, "first10.txt")),
      handle: async (item) => resultOf(item.position),
    });
    await first.checkpoint.save({
      kind: "nightshift.batch",
      version: 1,
      reportPath: first.files.get("report.csv")!,
      nextPosition: 11,
      window: 20,
      done: [[28, { outcome: "skipped", message: "kept 28" }]],
      suspects: [],
      clean: true,
      finished: false,
    } satisfies BatchCheckpoint);
    const rec = recorder();
    const second = createTestContext(dir, 2);
    let hung = false;
    void runBatch(second, {
      source: textNumberSource(input),
      resumeFrom: 1,
      concurrency: 1,
      reorderWindow: 4,
      checkpointEvery: 1,
      handle: async (item) => {
        rec.record(item.position, item.maybeAttempted);
        if (item.position === 13) {
          hung = true;
          return new Promise<ItemResult>(() => {});
        }
        return resultOf(item.position);
      },
    });
    await until(() => hung);
    second.crash();
    const third = createTestContext(dir, 3);
    await runBatch(third, {
      source: textNumberSource(input),
      resumeFrom: 2,
      handle: async (item) => {
        rec.record(item.position, item.maybeAttempted);
        return resultOf(item.position);
      },
    });
    const rows = reportRows(third.read("report.csv"));
    expect(rows.map((r) => r.position)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(rows[27]).toMatchObject({ outcome: "skipped", message: "kept 28" });
    expect(rec.calls.has(28)).toBe(false);
    expect(rec.calls.get(13)).toBe(2);
    expect(rec.flagged.has(13)).toBe(true);
  });

  it("refuses to resume with a different input", async () => {
    const input = numbersFile(dir, 50);
    const first = createTestContext(dir, 1);
    await runBatch(first, {
      source: textNumberSource(input),
      handle: async (item) => {
        if (item.position === 20) first.abort();
        return { outcome: "ok" };
      },
    });
    const other = join(dir, "other.txt");
    writeFileSync(other, "1001\n1002\n9999\n1004\n");
    const second = createTestContext(dir, 2);
    const run = runBatch(second, {
      source: textNumberSource(other),
      resumeFrom: 1,
      handle: async () => ({ outcome: "ok" }),
    });
    await expect(run).rejects.toThrow(BatchResumeError);
    await expect(run).rejects.toThrow(/item 3 of the input is "9999" but was "1003"/);
  });

  it("starts from the first item when the old process saved no checkpoint", async () => {
    const input = numbersFile(dir, 5);
    const ctx = createTestContext(dir, 2);
    const s = await runBatch(ctx, {
      source: textNumberSource(input),
      resumeFrom: 1,
      handle: async () => ({ outcome: "ok" }),
    });
    expect(s.total).toBe(5);
    expect(ctx.logs.some((l) => l.includes("saved no checkpoint"))).toBe(true);
  });
});
