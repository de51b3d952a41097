import { spawn } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { runBatch } from "../src/batch/runner.js";
import { textNumberSource } from "../src/batch/sources/text.js";
import { createTestContext } from "./fixtures/batch/context.js";
import { numbersFile, reportRows } from "./fixtures/batch/helpers.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "batch-kill-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function rowsOnDisk(path: string): number {
  if (!existsSync(path)) return 0;
  return readFileSync(path, "utf8").split("\r\n").length - 2;
}

/** Runs the batch of N items in a child process (`mode`: see child-run.ts) and kills it after 400 rows. */
async function killedChild(N: number, mode = ""): Promise<{ input: string; reportedByChild: number }> {
  const input = numbersFile(dir, N);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/fixtures/batch/child-run.ts", dir, "1", input, mode],
    {
      stdio: "ignore",
    },
  );
  const exited = once(child, "exit");
  const report = join(dir, "process-1", "report.csv");
  const deadline = Date.now() + 20_000;
  while (rowsOnDisk(report) < 400) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("child made no progress");
    await new Promise<void>((r) => setTimeout(r, 20)); // polling the child's file, with a deadline
  }
  child.kill("SIGKILL");
  await exited;
  const reportedByChild = rowsOnDisk(report);
  expect(reportedByChild).toBeLessThan(N);
  return { input, reportedByChild };
}

/** Each position's handler calls in order (maybeAttempted of each) across both runs. */
function callsByPosition(): Map<number, boolean[]> {
  const calls = new Map<number, boolean[]>();
  for (const line of readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n")) {
    const [p, flag] = line.split(" ");
    calls.set(Number(p), [...(calls.get(Number(p)) ?? []), flag === "true"]);
  }
  return calls;
}

it("kill -9 in the middle, then resume: every item reported once, only flagged items redone", async () => {
  const N = 2000;
  const { input, reportedByChild } = await killedChild(N);
  const ctx = createTestContext(dir, 2);
  const summary = await runBatch(ctx, {
    source: textNumberSource(input),
    resumeFrom: 1,
    handle: async (item) => {
      appendFileSync(join(dir, "calls.log"), `${item.position} ${item.maybeAttempted}\n`);
      return item.position % 5 === 0 ? { outcome: "failed", oclcCode: "WS-409" } : { outcome: "ok" };
    },
  });
  const rows = reportRows(ctx.read("report.csv"));
  expect(rows.map((r) => r.position)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  expect(summary).toMatchObject({ total: N, resumedFrom: 1 });
  expect(summary.byOutcome).toEqual({ ok: N - N / 5, skipped: 0, failed: N / 5, unknown: 0 });
  expect(summary.resumedItems).toBeGreaterThanOrEqual(reportedByChild);

  const calls = callsByPosition();
  expect(calls.size).toBe(N);
  for (const [, flags] of calls) {
    expect(flags.length).toBeLessThanOrEqual(2);
    if (flags.length === 2) expect(flags[1]).toBe(true); // redone only with the warning
  }
  const flagged = [...calls.values()].filter((f) => f.includes(true)).length;
  expect(flagged).toBeGreaterThan(0);
  expect(flagged).toBeLessThanOrEqual(64); // the reorder window (8 × concurrency 8)
  // The child was killed with calls in flight: those were redone, flagged.
  expect([...calls.values()].some((f) => f.length === 2)).toBe(true);
  expect(ctx.read("failures.txt").trim().split("\n")).toHaveLength(N / 5);
});

it("a report stored only at saves (PostgreSQL): rows written after the last save are redone, every one flagged", async () => {
  // The child saves at its defaults (every 1000 items or 5 s): only the horizon makes it save more often.
  const N = 2000;
  const { input, reportedByChild } = await killedChild(N, "stored");
  const storedRows = rowsOnDisk(
    join(dir, "stored", join(dir, "process-1", "report.csv").replace(/[^A-Za-z0-9._-]/g, "_")),
  );
  expect(storedRows).toBeGreaterThan(0);
  expect(storedRows).toBeLessThanOrEqual(reportedByChild);

  const ctx = createTestContext(dir, 2, { stored: true });
  const summary = await runBatch(ctx, {
    source: textNumberSource(input),
    resumeFrom: 1,
    handle: async (item) => {
      appendFileSync(join(dir, "calls.log"), `${item.position} ${item.maybeAttempted}\n`);
      return item.position % 5 === 0 ? { outcome: "failed", oclcCode: "WS-409" } : { outcome: "ok" };
    },
  });
  const rows = reportRows(ctx.read("report.csv"));
  expect(rows.map((r) => r.position)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
  // What the resumed run knew of the first: the stored rows, never the local ones written after the save.
  expect(summary).toMatchObject({ total: N, resumedFrom: 1, resumedItems: storedRows });
  const calls = callsByPosition();
  expect(calls.size).toBe(N);
  for (const [position, flags] of calls) {
    expect(flags.length, `position ${position}`).toBeLessThanOrEqual(2);
    // Done by the child past what it stored, and done again: only ever with the warning.
    if (flags.length === 2) expect(flags[1], `position ${position} redone unflagged`).toBe(true);
  }
  const flagged = [...calls.values()].filter((f) => f.includes(true)).length;
  // At most the horizon: 4 reorder windows (4 × 64) past the stored rows.
  expect(flagged).toBeLessThanOrEqual(256);
  expect([...calls.values()].some((f) => f.length === 2)).toBe(true);
});
