/**
 * File store benchmark, side by side in one run: a 200 MB report written into and read back out of
 * `fileStore: directory` (a file under the data directory) and `fileStore: postgres` (1 MB bytea chunks in an
 * embedded PostgreSQL on this machine), hashed both ways as the engine does (SHA-256 on write and read).
 * Also the peak RSS growth while doing it (memory flat: a few chunks, not the file).
 * Prints a table and one JSON line. `BENCH_FILE_MB` changes the size.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { loadConfig } from "../src/config/config.js";
import { type Engine, openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { createRegistry } from "../src/engine/registry.js";
import { defineScript } from "../src/engine/script.js";
import { startPostgres } from "../test/fixtures/postgres/start.js";

const MB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_FILE_MB ?? 200) * MB;

const trivial = defineScript({ name: "trivial", description: "", parameters: [], async run() {} });

async function makeReport(path: string): Promise<void> {
  const out = createWriteStream(path);
  const block = Buffer.alloc(MB);
  for (let written = 0, n = 0; written < SIZE; n++, written += MB) {
    // CSV-like rows, different per block (a report is not one repeated byte).
    block.fill(`${n},ocn${n * 7919},ok,set holding\n`);
    if (!out.write(Buffer.from(block))) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  out.end();
  await finished(out);
}

async function measure(label: string, fn: () => Promise<void>) {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  await fn();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  return { label, seconds, mbPerS: SIZE / MB / seconds, rssGrowthMb: (peak - base) / MB };
}

async function run(engine: Engine, source: string) {
  const p = await engine.service.createProcess({
    script: "trivial",
    parameters: parseArgv(trivial, []),
    startedBy: { source: "cli" },
  });
  const rel = `processes/${p.id}/files/report.csv`;
  const kind = engine.files.kind;
  // The directory store keeps a script's output where it was written: the write is the script's copy there.
  const write = await measure(`${kind} write`, async () => {
    const local = join(engine.config.dataDir, rel);
    if (kind === "directory") {
      const { mkdir } = await import("node:fs/promises");
      await mkdir(join(engine.config.dataDir, `processes/${p.id}/files`), { recursive: true });
      await copyFile(source, local);
      await engine.files.put(engine.store.db, p.id, rel, local);
    } else await engine.files.put(engine.store.db, p.id, rel, source);
  });
  const read = await measure(`${kind} read`, async () => {
    const hash = createHash("sha256");
    for await (const chunk of engine.files.read(rel)) hash.update(chunk as Buffer);
    hash.digest("hex");
  });
  return [write, read];
}

const root = await mkdtemp(join(tmpdir(), "nightshift-bench-files-"));
const pg = await startPostgres();
try {
  const source = join(root, "report.csv");
  await makeReport(source);
  const url = await pg.database();
  const results = [];
  for (const fileStore of ["directory", "postgres"] as const) {
    const dataDir = join(root, fileStore);
    const config = await loadConfig({
      dataDir,
      env: { NIGHTSHIFT_DATABASE_URL: url, NIGHTSHIFT_FILE_STORE: fileStore },
    });
    const engine = await openEngine({ config, scripts: createRegistry([trivial]) });
    try {
      results.push(...(await run(engine, source)));
    } finally {
      await engine.close();
    }
  }
  process.stdout.write(`file store, ${SIZE / MB} MB report (SHA-256 both ways)\n`);
  process.stdout.write("what                 seconds   MB/s   peak RSS growth (MB)\n");
  for (const r of results)
    process.stdout.write(
      `${r.label.padEnd(20)} ${r.seconds.toFixed(2).padStart(7)} ${r.mbPerS.toFixed(0).padStart(6)}   ${r.rssGrowthMb.toFixed(0).padStart(6)}\n`,
    );
  process.stdout.write(`${JSON.stringify({ bench: "file-store", sizeMb: SIZE / MB, results })}\n`);
} finally {
  await pg.stop();
  await rm(root, { recursive: true, force: true });
}
