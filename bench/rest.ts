/**
 * REST latency under load: GET /api/system/processes?page=0&size=20 with 100,000 processes stored directly
 * in a fresh SQLite store, 50 concurrent keep-alive fetch loops (our own load generator; autocannon is not a
 * dependency). The server runs in a child process so the client does not steal its event loop.
 * Run: `npx tsx bench/rest.ts [seconds=10] [connections=50] [processes=100000]`, or with `both` for the
 * first argument: 1,000 then 100,000 processes. Targets: p99 < 50 ms; server CPU per request <= 0.2 ms,
 * and at 100,000 processes no worse than 0.9x the 1,000 figure (the cost must not grow with the table).
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { createRegistry } from "../src/engine/registry.js";
import { createUserDirectory } from "../src/server/auth/users.js";
import { startServer } from "../src/server/start.js";
import { openStore } from "../src/store/index.js";

const PATH = "/api/system/processes?page=0&size=20";
const STATUSES = ["COMPLETED", "FAILED", "CANCELLED", "COMPLETED", "COMPLETED"] as const;

/** Inserts `count` finished processes in batches inside write transactions. */
async function seed(dataDir: string, count: number): Promise<void> {
  const store = await openStore(dataDir);
  const t0 = Date.parse("2024-01-01T00:00:00Z");
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const rows = Array.from({ length: Math.min(batch, count - start) }, (_, k) => {
      const i = start + k;
      const at = (ms: number) => new Date(t0 + i * 1000 + ms).toISOString();
      return {
        script: i % 3 === 0 ? "index-discovery" : "holdings-set",
        parameters: JSON.stringify([{ name: "--input", value: `batch-${i}.txt` }]),
        param_values: "{}",
        secret_keys: null,
        started_by: "rest" as const,
        user_id: `user-${i % 10}`,
        account: null,
        status: STATUSES[i % STATUSES.length],
        priority: 0,
        run_at: at(0),
        created_at: at(0),
        started_at: at(10),
        finished_at: at(500),
        progress_done: 100,
        progress_total: 100,
        heartbeat_at: at(400),
        result: JSON.stringify({ records: 100, failed: i % 7 }),
        exit_message: null,
      };
    });
    await store.write((db) => db.insertInto("processes").values(rows).execute());
  }
  await store.close();
}

/** Child mode: serve the data directory and print `{url, token}` on one line. */
async function serve(dataDir: string): Promise<void> {
  const config = { ...(await loadConfig({ dataDir, env: {} })), port: 0 };
  const engine = await openEngine({ config, scripts: createRegistry([]) });
  const users = createUserDirectory(engine.store);
  await users.add({ name: "bench", role: "admin" });
  const token = await users.issueToken("bench");
  const server = await startServer(engine, { port: 0, host: "127.0.0.1", bootstrapAdmin: false });
  process.stdout.write(`${JSON.stringify({ url: server.url, token })}\n`);
  // Each line on stdin asks for the CPU time used so far (the parent measures the load phase alone).
  createInterface({ input: process.stdin }).on("line", () => {
    process.stdout.write(`${JSON.stringify(process.cpuUsage())}\n`);
  });
  process.on("SIGTERM", () => {
    const cpu = process.cpuUsage();
    process.stderr.write(
      `server cpu: user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s\n`,
    );
    void server
      .close()
      .then(() => engine.close())
      .then(() => process.exit(0));
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function load(
  url: string,
  token: string,
  seconds: number,
  connections: number,
  serverCpu: () => Promise<number>,
) {
  const latencies: number[] = [];
  let errors = 0;
  const headers = { authorization: `Bearer ${token}` };
  const once = async () => {
    const t = performance.now();
    const res = await fetch(url + PATH, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) errors++;
    return performance.now() - t;
  };
  for (let i = 0; i < 200; i++) await once(); // warm-up: JIT, page cache, connections
  const cpuBefore = await serverCpu();
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) latencies.push(await once());
    }),
  );
  const took = (performance.now() - started) / 1000;
  const cpuMs = (await serverCpu()) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const ms = (v: number) => Math.round(v * 100) / 100;
  return {
    path: PATH,
    connections,
    seconds: ms(took),
    requests: latencies.length,
    perSecond: Math.round(latencies.length / took),
    serverCpuMsPerRequest: Math.round((cpuMs / latencies.length) * 1000) / 1000,
    p50: ms(percentile(latencies, 50)),
    p90: ms(percentile(latencies, 90)),
    p99: ms(percentile(latencies, 99)),
    max: ms(latencies[latencies.length - 1]),
    errors,
  };
}

/** Asks the server child for its CPU time (user + system, ms) over its stdin/stdout. */
function cpuReader(child: ReturnType<typeof spawn>): () => Promise<number> {
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  return () =>
    new Promise<number>((resolve) => {
      waiting.push((line) => {
        const cpu = JSON.parse(line) as { user: number; system: number };
        resolve((cpu.user + cpu.system) / 1000);
      });
      child.stdin!.write("cpu\n");
    });
}

async function measure(seconds: number, connections: number, count: number) {
  const dataDir = await mkdtemp(join(tmpdir(), "nightshift-bench-rest-"));
  const seeding = performance.now();
  await seed(dataDir, count);
  const seedSeconds = (performance.now() - seeding) / 1000;
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []),
      "--import",
      "tsx",
      import.meta.filename,
      "--serve",
      dataDir,
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const first = createInterface({ input: child.stdout! });
      first.once("line", (l) => {
        first.close();
        resolve(l);
      });
      child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
    const { url, token } = JSON.parse(line) as { url: string; token: string };
    const result = {
      processes: count,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      ...(await load(url, token, seconds, connections, cpuReader(child))),
    };
    process.stdout.write(
      `GET ${PATH} with ${count} processes, ${connections} connections, ${result.seconds} s\n` +
        `requests ${result.requests} (${result.perSecond}/s), errors ${result.errors}\n` +
        `server CPU per request: ${result.serverCpuMsPerRequest} ms (target <= 0.2)\n` +
        `latency ms: p50 ${result.p50}  p90 ${result.p90}  p99 ${result.p99}  max ${result.max}  (target p99 < 50)\n`,
    );
    return result;
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  if (process.argv[2] === "--serve") return serve(process.argv[3]);
  const both = process.argv[2] === undefined || process.argv[2] === "both";
  const seconds = both ? 10 : Number(process.argv[2]);
  const connections = Number(process.argv[3] ?? 50);
  const counts = both ? [1_000, 100_000] : [Number(process.argv[4] ?? 100_000)];
  const results = [];
  for (const count of counts) results.push(await measure(seconds, connections, count));
  if (results.length === 2) {
    const [small, large] = results;
    const ratio = small.serverCpuMsPerRequest / large.serverCpuMsPerRequest;
    process.stdout.write(
      `100,000 vs 1,000 processes: ${ratio.toFixed(2)}x the throughput per CPU (target >= 0.9)\n`,
    );
  }
  const out = join(import.meta.dirname, "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, "rest.json"),
    `${JSON.stringify({ at: new Date().toISOString(), results }, null, 2)}\n`,
  );
}

await main();
