/**
 * Batch engine benchmark: throughput with a 100 ms handler at concurrency 8 (ideal 80 items/s), with a
 * trivial handler, and peak RSS over a 1,000,000-line input (target < 200 MB, flat).
 *
 *   npx tsx bench/batch-engine.ts [--quick]
 *
 * Prints a table and writes bench/results/batch-engine.json.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { runBatch } from "../src/batch/runner.js";
import { textNumberSource } from "../src/batch/sources/text.js";
import { createTestContext } from "../test/fixtures/batch/context.js";

interface Result {
  readonly name: string;
  readonly items: number;
  readonly seconds: number;
  readonly itemsPerSecond: number;
  readonly rssBeforeMb: number;
  readonly peakRssMb: number;
  readonly note: string;
}

const quick = process.argv.includes("--quick");
const root = mkdtempSync(join(tmpdir(), "bench-batch-"));
let processId = 0;

/** Writes n numbers, 10,000 lines at a time (the input itself never sits in memory). */
function input(n: number): string {
  const path = join(root, `numbers-${n}.txt`);
  const fd = openSync(path, "w");
  for (let from = 1; from <= n; from += 10_000) {
    const lines: string[] = [];
    for (let i = from; i < from + 10_000 && i <= n; i++) lines.push(String(100_000 + i));
    writeSync(fd, `${lines.join("\n")}\n`);
  }
  closeSync(fd);
  return path;
}

async function measure(name: string, n: number, handlerMs: number, note: string): Promise<Result> {
  const path = input(n);
  const ctx = createTestContext(root, ++processId);
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const started = performance.now();
  const summary = await runBatch(ctx, {
    source: textNumberSource(path),
    concurrency: 8,
    handle: async () => {
      if (handlerMs > 0) await delay(handlerMs);
      return { outcome: "ok" };
    },
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (summary.total !== n) throw new Error(`${name}: ${summary.total} of ${n} items reported`);
  rmSync(ctx.dir, { recursive: true, force: true });
  return {
    name,
    items: n,
    seconds: Math.round(seconds * 100) / 100,
    itemsPerSecond: Math.round((n / seconds) * 10) / 10,
    rssBeforeMb: Math.round(before / 2 ** 20),
    peakRssMb: Math.round(peak / 2 ** 20),
    note,
  };
}

const results: Result[] = [];
results.push(
  await measure("trivial handler, 1,000,000 items", quick ? 100_000 : 1_000_000, 0, "RSS target < 200 MB"),
);
results.push(await measure("trivial handler", quick ? 20_000 : 100_000, 0, "engine overhead"));
results.push(await measure("handler 100 ms, concurrency 8", quick ? 160 : 800, 100, "ideal 80 items/s"));

console.table(results);
mkdirSync(join(import.meta.dirname, "results"), { recursive: true });
writeFileSync(
  join(import.meta.dirname, "results", "batch-engine.json"),
  `${JSON.stringify(results, null, 2)}\n`,
);
rmSync(root, { recursive: true, force: true });
