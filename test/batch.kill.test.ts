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

it("kill -9 in the middle, then resume: every item reported once, only flagged items redone", async () => {
  const N = 2000;
  const input = numbersFile(dir, N);
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/fixtures/batch/child-run.ts", dir, "1", input],
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

  const calls = new Map<number, boolean[]>();
  for (const line of readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n")) {
    const [p, flag] = line.split(" ");
    calls.set(Number(p), [...(calls.get(Number(p)) ?? []), flag === "true"]);
  }
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
