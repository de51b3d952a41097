import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runBatch } from "../src/batch/runner.js";
import { textNumberSource } from "../src/batch/sources/text.js";
import { createTestContext } from "./fixtures/batch/context.js";
import { numbersFile, reportRows } from "./fixtures/batch/helpers.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "batch-throttle-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tooMany = () => Object.assign(new Error("Too Many Requests"), { status: 429 });
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

describe("throttling (HTTP 429)", () => {
  it("halves the window once per burst, retries instead of failing, and recovers additively", async () => {
    const ctx = createTestContext(dir, 1);
    let active = 0;
    const starts: { position: number; active: number; attempt: number }[] = [];
    const attempts = new Map<number, number>();
    const backoffs: number[] = [];
    const summary = await runBatch(ctx, {
      source: textNumberSource(numbersFile(dir, 120)),
      concurrency: 8,
      sleep: async () => {},
      throttleBackoffMs: (retry) => {
        backoffs.push(retry);
        return 0;
      },
      handle: async (item) => {
        const attempt = (attempts.get(item.position) ?? 0) + 1;
        attempts.set(item.position, attempt);
        active++;
        starts.push({ position: item.position, active, attempt });
        await turns(3);
        active--;
        if (item.position <= 8 && attempt === 1) throw tooMany(); // the first window meets a 429 burst
        return { outcome: "ok" };
      },
    });
    expect(summary.byOutcome).toEqual({ ok: 120, skipped: 0, failed: 0, unknown: 0 });
    expect(ctx.logs.filter((l) => l.includes("throttled by the service"))).toEqual([
      "warn throttled by the service: concurrency 8 -> 4",
    ]);
    expect(backoffs).toEqual(Array(8).fill(1));
    const retries = starts.filter((s) => s.attempt === 2);
    expect(retries).toHaveLength(8);
    // Right after the burst, no more than 4 calls at once...
    const afterBurst = starts.slice(8, 14);
    expect(Math.max(...afterBurst.map((s) => s.active))).toBeLessThanOrEqual(4);
    // ...and back to 8 once enough calls have succeeded.
    const late = starts.filter((s) => s.position > 80);
    expect(Math.max(...late.map((s) => s.active))).toBe(8);
    expect(Math.max(...starts.map((s) => s.active))).toBe(8);
    expect(reportRows(ctx.read("report.csv")).map((r) => r.position)).toEqual(
      Array.from({ length: 120 }, (_, i) => i + 1),
    );
  });

  it("fails an item throttled more often than allowed, with the code", async () => {
    const ctx = createTestContext(dir, 1);
    const summary = await runBatch(ctx, {
      source: textNumberSource(numbersFile(dir, 3)),
      maxThrottleRetries: 2,
      sleep: async () => {},
      handle: async (item) => {
        if (item.position === 2) throw tooMany();
        return { outcome: "ok" };
      },
    });
    const rows = reportRows(ctx.read("report.csv"));
    expect(rows[1]).toMatchObject({ outcome: "failed", errorCode: "HTTP 429", message: "Too Many Requests" });
    expect(summary.byOutcome.failed).toBe(1);
  });

  it("slows down when a handler says the service throttled it (retried inside the client)", async () => {
    const ctx = createTestContext(dir, 1);
    let active = 0;
    const seen: number[] = [];
    await runBatch(ctx, {
      source: textNumberSource(numbersFile(dir, 40)),
      concurrency: 8,
      handle: async (item, env) => {
        active++;
        seen.push(active);
        await turns(3);
        active--;
        if (item.position === 1) env.throttled();
        return { outcome: "ok" };
      },
    });
    expect(ctx.logs).toContain("warn throttled by the service: concurrency 8 -> 4");
    expect(Math.max(...seen.slice(8, 12))).toBeLessThanOrEqual(4);
  });
});
