/**
 * Reports line up with the input (issue 17 item 5): each row says its line in the file (blank lines and
 * comments counted; a CSV's header too), and with `duplicates: "flag"` a repeated number is done once, the
 * repeat reported `duplicate of line N`. A resume carries the first lines over from the earlier report.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { runBatch } from "../src/batch/runner.js";
import { csvNumberSource } from "../src/batch/sources/csv.js";
import { textNumberSource } from "../src/batch/sources/text.js";
import { createTestContext } from "./fixtures/batch/context.js";
import { reportRows } from "./fixtures/batch/helpers.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "batch-lines-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("text: the line column counts blank lines and comments; a repeat is done once and flagged", async () => {
  const ctx = createTestContext(dir, 1);
  const input = join(dir, "n.txt");
  writeFileSync(input, "# list\n101\n\n102\nocm00000101\n\n\n103\n102\n");
  const calls: string[] = [];
  const summary = await runBatch(ctx, {
    source: textNumberSource(input),
    duplicates: "flag",
    handle: async (item) => {
      calls.push(item.payload);
      return { outcome: "ok" };
    },
  });
  const rows = reportRows(ctx.read("report.csv"));
  expect(rows.map((r) => [r.position, r.line, r.inputId, r.outcome, r.errorCode, r.message])).toEqual([
    [1, 2, "101", "ok", "", ""],
    [2, 4, "102", "ok", "", ""],
    [3, 5, "ocm00000101", "skipped", "DUPLICATE", "duplicate of line 2"],
    [4, 8, "103", "ok", "", ""],
    [5, 9, "102", "skipped", "DUPLICATE", "duplicate of line 4"],
  ]);
  expect(calls.sort()).toEqual(["101", "102", "103"]);
  expect(summary.byCode).toEqual({ DUPLICATE: 2 });
  expect(ctx.read("report.csv").split("\r\n")[0]).toBe(
    "\uFEFFposition,line,input_id,oclc_number_requested,oclc_number_current,action,outcome,error_code,message",
  );
});

it("csv: the line is the file's (header included); without `flag` every row is an item", async () => {
  const ctx = createTestContext(dir, 1);
  const input = join(dir, "n.csv");
  writeFileSync(input, "ocn,title\n101,A\n\n101,B\n");
  const summary = await runBatch(ctx, {
    source: csvNumberSource(input),
    handle: async () => ({ outcome: "ok" }),
  });
  const rows = reportRows(ctx.read("report.csv"));
  expect(rows.map((r) => [r.line, r.outcome])).toEqual([
    [2, "ok"],
    [4, "ok"],
  ]);
  expect(summary.byOutcome.ok).toBe(2);
});

it("a resumed run flags a repeat of a number its predecessor reported", async () => {
  const input = join(dir, "n.txt");
  writeFileSync(input, `${Array.from({ length: 40 }, (_, i) => String(1000 + i)).join("\n")}\n1005\n`);
  const first = createTestContext(dir, 1);
  let n = 0;
  await runBatch(first, {
    source: textNumberSource(input),
    duplicates: "flag",
    concurrency: 1,
    checkpointEvery: 1,
    handle: async () => {
      if (++n === 20) first.abort();
      return { outcome: "ok" };
    },
  }).catch(() => undefined);
  const second = createTestContext(dir, 2);
  await runBatch(second, {
    source: textNumberSource(input),
    duplicates: "flag",
    resumeFrom: 1,
    handle: async () => ({ outcome: "ok" }),
  });
  const rows = reportRows(second.read("report.csv"));
  expect(rows).toHaveLength(41);
  expect(rows.map((r) => r.line)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
  expect(rows[40]).toMatchObject({
    outcome: "skipped",
    errorCode: "DUPLICATE",
    message: "duplicate of line 6",
  });
});
