import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBatch } from "../src/batch/runner.js";
import { csvNumberSource } from "../src/batch/sources/csv.js";
import { textNumberSource } from "../src/batch/sources/text.js";
import { createTestContext } from "./fixtures/batch/context.js";
import { jitter, numbersFile, reportRows } from "./fixtures/batch/helpers.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "batch-runner-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("runBatch", () => {
  it("reports in input order under random handler latencies, never above the concurrency", async () => {
    const ctx = createTestContext(dir, 1);
    const input = numbersFile(dir, 500);
    let active = 0;
    let peak = 0;
    const calls = new Map<string, number>();
    const summary = await runBatch(ctx, {
      source: textNumberSource(input),
      concurrency: 6,
      action: "set",
      handle: async (item) => {
        active++;
        peak = Math.max(peak, active);
        calls.set(item.payload, (calls.get(item.payload) ?? 0) + 1);
        await jitter(20);
        active--;
        return { outcome: "ok", current: item.payload };
      },
    });
    const rows = reportRows(ctx.read("report.csv"));
    expect(rows.map((r) => r.position)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(rows.map((r) => r.inputId)).toEqual(Array.from({ length: 500 }, (_, i) => String(1001 + i)));
    expect(rows.every((r) => r.action === "set" && r.requested === r.inputId)).toBe(true);
    expect(peak).toBe(6);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    expect(calls.size).toBe(500);
    expect(summary.total).toBe(500);
    expect(summary.completed).toBe(true);
    expect(summary.files.failures).toBeNull();
  });

  it("accounts for every item: outcomes, codes and invalid lines add up to the input", async () => {
    const ctx = createTestContext(dir, 1);
    const input = join(dir, "mixed.txt");
    writeFileSync(input, "# my list\n101\n\nocm00000102\nnot-a-number\n103 # merged?\n104\n(OCoLC)105\n");
    const summary = await runBatch(ctx, {
      source: textNumberSource(input),
      handle: async (item) => {
        const n = Number(item.payload);
        if (n === 102)
          throw Object.assign(new Error("Record not found"), { status: 404, oclcCode: "WS-404" });
        if (n === 103) return { outcome: "ok", action: "set", current: "999" };
        if (n === 104) return { outcome: "skipped", message: "already held" };
        if (n === 105)
          throw Object.assign(new Error("outcome unknown (timeout)"), { name: "OutcomeUnknownError" });
        return { outcome: "ok" };
      },
    });
    const rows = reportRows(ctx.read("report.csv"));
    expect(rows.map((r) => [r.inputId, r.outcome, r.errorCode, r.requested, r.current])).toEqual([
      ["101", "ok", "", "101", ""],
      ["ocm00000102", "failed", "WS-404", "102", ""],
      ["not-a-number", "failed", "INVALID_INPUT", "", ""],
      ["103", "ok", "", "103", "999"],
      ["104", "skipped", "", "104", ""],
      ["(OCoLC)105", "unknown", "", "105", ""],
    ]);
    expect(rows[2].message).toBe('line 5: not an OCLC number: "not-a-number"');
    expect(summary.byOutcome).toEqual({ ok: 2, skipped: 1, failed: 2, unknown: 1 });
    expect(summary.byCode).toEqual({ INVALID_INPUT: 1, "WS-404": 1 });
    expect(summary.total).toBe(6);
    const onDisk = JSON.parse(ctx.read("summary.json"));
    expect(onDisk.total).toBe(6);
    expect(onDisk.byOutcome).toEqual(summary.byOutcome);
    expect(onDisk).toMatchObject({ dryRun: false, resumedFrom: null, completed: true, inputFormat: "text" });
    expect(typeof onDisk.durationMs).toBe("number");
    expect(typeof onDisk.itemsPerSecond).toBe("number");
    // Failed and unknown lines, exactly as written, ready to run again.
    expect(ctx.read("failures.txt")).toBe("ocm00000102\nnot-a-number\n(OCoLC)105\n");
  });

  it("a failures file run again processes only the failures", async () => {
    const first = createTestContext(dir, 1);
    const input = numbersFile(dir, 100);
    const failing = (n: number) => n % 7 === 0;
    await runBatch(first, {
      source: textNumberSource(input),
      handle: async (item) =>
        failing(Number(item.payload)) ? { outcome: "failed", oclcCode: "X" } : { outcome: "ok" },
    });
    const rerun = createTestContext(dir, 2);
    const seen: string[] = [];
    const summary = await runBatch(rerun, {
      source: textNumberSource(first.files.get("failures.txt")!),
      handle: async (item) => {
        seen.push(item.payload);
        return { outcome: "ok" };
      },
    });
    const expected = Array.from({ length: 100 }, (_, i) => 1001 + i)
      .filter(failing)
      .map(String);
    expect(seen.sort()).toEqual(expected);
    expect(summary.total).toBe(expected.length);
    expect(summary.byOutcome.ok).toBe(expected.length);
  });

  it("writes CSV failures under the input's header, and quotes report cells per RFC 4180", async () => {
    const ctx = createTestContext(dir, 1);
    const input = join(dir, "in.csv");
    writeFileSync(input, 'title,OCLC Number\r\n"Smith, ""J""",111\r\nPlain,222\r\n"Multi\nline",333\r\n');
    await runBatch(ctx, {
      source: csvNumberSource(input),
      handle: async (item) =>
        item.payload === "222"
          ? { outcome: "ok" }
          : { outcome: "failed", message: 'bad "thing", here\nnext line' },
    });
    expect(ctx.read("failures.csv")).toBe('title,OCLC Number\r\n"Smith, ""J""",111\r\n"Multi\nline",333\r\n');
    const text = ctx.read("report.csv");
    expect(text).toContain('"bad ""thing"", here\nnext line"\r\n');
    expect(reportRows(text).map((r) => [r.inputId, r.message])).toEqual([
      ["111", 'bad "thing", here\nnext line'],
      ["222", ""],
      ["333", 'bad "thing", here\nnext line'],
    ]);
  });

  it("passes dry-run to handlers and records it; waits on permits before every call", async () => {
    const ctx = createTestContext(dir, 1);
    let permits = 0;
    const dry: boolean[] = [];
    const summary = await runBatch(ctx, {
      source: textNumberSource(numbersFile(dir, 20)),
      dryRun: true,
      permits: {
        acquire: async () => {
          permits++;
        },
      },
      handle: async (_item, env) => {
        dry.push(env.dryRun);
        return { outcome: "ok" };
      },
    });
    expect(dry).toEqual(Array(20).fill(true));
    expect(permits).toBe(20);
    expect(summary.dryRun).toBe(true);
    expect(JSON.parse(ctx.read("summary.json")).dryRun).toBe(true);
  });

  it("reports progress with the total counted up front, and an ETA log line", async () => {
    const ctx = createTestContext(dir, 1);
    let clock = 0;
    await runBatch(ctx, {
      source: textNumberSource(numbersFile(dir, 50)),
      now: () => clock,
      progressIntervalMs: 0,
      etaLogIntervalMs: 100,
      handle: async () => {
        clock += 10;
        return { outcome: "ok" };
      },
    });
    const last = ctx.progressCalls.at(-1);
    expect(last).toEqual([50, 50]);
    const dones = ctx.progressCalls.map(([d]) => d);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(ctx.logs.some((l) => /^info \d+\/50 items \(\d+\.\d%\), [\d.]+ items\/s, ETA \d+s$/.test(l))).toBe(
      true,
    );
  });

  it("stops with the reader's error when the input cannot be read, after writing the summary", async () => {
    const ctx = createTestContext(dir, 1);
    const run = runBatch(ctx, {
      source: textNumberSource(join(dir, "missing.txt")),
      handle: async () => ({ outcome: "ok" }),
    });
    await expect(run).rejects.toThrow(/ENOENT/);
    expect(JSON.parse(ctx.read("summary.json"))).toMatchObject({ total: 0, completed: false });
  });

  it("keeps memory bounded: never more than the reorder window pulled ahead of the first unreported item", async () => {
    const ctx = createTestContext(dir, 1);
    let maxAhead = 0;
    let release: (() => void) | undefined;
    const first = new Promise<void>((r) => {
      release = r;
    });
    const summary = await runBatch(ctx, {
      source: textNumberSource(numbersFile(dir, 200)),
      concurrency: 4,
      reorderWindow: 16,
      handle: async (item) => {
        const reported = ctx.progressCalls.at(-1)?.[0] ?? 0;
        maxAhead = Math.max(maxAhead, item.position - (reported + 1));
        if (item.position === 1) await first; // the head of line blocks: the window must fill, then stop
        if (item.position === 16) release?.();
        return { outcome: "ok" };
      },
      progressIntervalMs: 0,
    });
    expect(maxAhead).toBe(15);
    expect(summary.total).toBe(200);
    expect(readFileSync(ctx.files.get("report.csv")!, "utf8").startsWith("\uFEFF")).toBe(true);
  });
});
