/**
 * File store benchmark, side by side in one run: a 200 MB report written into and read back out of
 * `fileStore: directory` (a file under the data directory) and `fileStore: postgres` (1 MB bytea chunks in an
 * embedded PostgreSQL on this machine), hashed both ways as the engine does (SHA-256 on write and read).
 * Also the peak RSS growth while doing it (memory flat: a few chunks, not the file), and the CPU time of this
 * process and of the PostgreSQL server for each step (the machine is shared: CPU time says where the time goes
 * when the wall clock waits for a core).
 * Prints a table and one JSON line. `BENCH_FILE_MB` changes the size; `BENCH_BASELINE=DIR` also measures the
 * postgres store of another checkout (e.g. `git worktree add /tmp/base main~3`), in the same run, for
 * before/after ratios on a shared machine.
 */
import { createHash } from "node:crypto";
import { createWriteStream, readFileSync } from "node:fs";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
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

/**
 * CPU time (ms) of the PostgreSQL server: the postmaster and its children (backends, WAL writer, ...) alive now;
 * one that exits during a step (an autovacuum worker) takes its time with it, so a near-idle step can read < 0.
 */
function serverCpuMs(pid: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .split(" ")
      .filter(Boolean)
      .map(Number);
  } catch {
    return 0; // not Linux: the column stays 0
  }
  let ticks = 0;
  for (const p of [pid, ...children]) {
    try {
      // Fields after "pid (comm) ": utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return ticks * 10;
}

async function measure(label: string, fn: () => Promise<void>) {
  const serverBase = serverCpuMs(pg.pid);
  const clientBase = process.cpuUsage();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  await fn();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const client = process.cpuUsage(clientBase);
  return {
    label,
    seconds,
    mbPerS: SIZE / MB / seconds,
    rssGrowthMb: (peak - base) / MB,
    clientCpuS: (client.user + client.system) / 1e6,
    serverCpuS: (serverCpuMs(pg.pid) - serverBase) / 1000,
  };
}

async function run(engine: Engine, source: string, prefix = "") {
  const p = await engine.service.createProcess({
    script: "trivial",
    parameters: parseArgv(trivial, []),
    startedBy: { source: "cli" },
  });
  const rel = `processes/${p.id}/files/report.csv`;
  const kind = engine.files.kind;
  const name = `${prefix}${kind}`;
  // The directory store keeps a script's output where it was written: the write is the script's copy there.
  const write = await measure(`${name} write`, async () => {
    const local = join(engine.config.dataDir, rel);
    if (kind === "directory") {
      const { mkdir } = await import("node:fs/promises");
      await mkdir(join(engine.config.dataDir, `processes/${p.id}/files`), { recursive: true });
      await copyFile(source, local);
      await engine.files.put(engine.store.db, p.id, rel, local);
    } else await engine.files.put(engine.store.db, p.id, rel, source);
  });
  const read = await measure(`${name} read`, async () => {
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
  const results = [];
  // BENCH_BASELINE=DIR: the postgres store of another checkout too (its own database), before this one's.
  const baseline = process.env.BENCH_BASELINE;
  const runs: { fileStore: "directory" | "postgres"; from?: string }[] = [
    { fileStore: "directory" },
    ...(baseline ? [{ fileStore: "postgres" as const, from: baseline }] : []),
    { fileStore: "postgres" },
  ];
  for (const { fileStore, from } of runs) {
    const dataDir = join(root, `${fileStore}${from ? "-baseline" : ""}`);
    const code = from
      ? {
          loadConfig: (
            (await import(join(from, "src/config/config.ts"))) as { loadConfig: typeof loadConfig }
          ).loadConfig,
          openEngine: (
            (await import(join(from, "src/engine/engine.ts"))) as { openEngine: typeof openEngine }
          ).openEngine,
        }
      : { loadConfig, openEngine };
    const config = await code.loadConfig({
      dataDir,
      env: { NIGHTSHIFT_DATABASE_URL: await pg.database(), NIGHTSHIFT_FILE_STORE: fileStore },
    });
    const engine = await code.openEngine({ config, scripts: createRegistry([trivial]) });
    try {
      results.push(...(await run(engine, source, from ? "baseline " : "")));
    } finally {
      await engine.close();
    }
  }
  process.stdout.write(`file store, ${SIZE / MB} MB report (SHA-256 both ways)\n`);
  process.stdout.write(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}\n`,
  );
  process.stdout.write(
    "what                      seconds   MB/s   peak RSS growth (MB)   CPU s: bench  PostgreSQL\n",
  );
  for (const r of results)
    process.stdout.write(
      `${r.label.padEnd(25)} ${r.seconds.toFixed(2).padStart(7)} ${r.mbPerS.toFixed(0).padStart(6)}   ${r.rssGrowthMb.toFixed(0).padStart(6)}                 ${r.clientCpuS.toFixed(2).padStart(5)}  ${r.serverCpuS.toFixed(2).padStart(10)}\n`,
    );
  process.stdout.write(
    `${JSON.stringify({ bench: "file-store", sizeMb: SIZE / MB, loadavg: loadavg(), results })}\n`,
  );
} finally {
  await pg.stop();
  await rm(root, { recursive: true, force: true });
}
