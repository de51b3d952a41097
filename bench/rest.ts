/**
 * REST latency under load: GET /api/system/processes?page=0&size=20 with 100,000 processes stored directly
 * in a fresh SQLite store, 50 concurrent keep-alive fetch loops (our own load generator; autocannon is not a
 * dependency). The server runs in a child process so the client does not steal its event loop.
 * Run: `npx tsx bench/rest.ts [seconds=10] [connections=50] [processes=100000]`. Target: p99 < 50 ms.
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

async function load(url: string, token: string, seconds: number, connections: number) {
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
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) latencies.push(await once());
    }),
  );
  const took = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const ms = (v: number) => Math.round(v * 100) / 100;
  return {
    path: PATH,
    connections,
    seconds: ms(took),
    requests: latencies.length,
    perSecond: Math.round(latencies.length / took),
    p50: ms(percentile(latencies, 50)),
    p90: ms(percentile(latencies, 90)),
    p99: ms(percentile(latencies, 99)),
    max: ms(latencies[latencies.length - 1]),
    errors,
  };
}

async function main() {
  if (process.argv[2] === "--serve") return serve(process.argv[3]);
  const seconds = Number(process.argv[2] ?? 10);
  const connections = Number(process.argv[3] ?? 50);
  const count = Number(process.argv[4] ?? 100_000);
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
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once("line", resolve);
      child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
    });
    const { url, token } = JSON.parse(line) as { url: string; token: string };
    const cpu0 = process.cpuUsage();
    const result = {
      processes: count,
      seedSeconds: Math.round(seedSeconds * 10) / 10,
      ...(await load(url, token, seconds, connections)),
    };
    const cpu = process.cpuUsage(cpu0);
    process.stderr.write(
      `client cpu: user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s\n`,
    );
    process.stdout.write(
      `GET ${PATH} with ${count} processes, ${connections} connections, ${result.seconds} s\n` +
        `requests ${result.requests} (${result.perSecond}/s), errors ${result.errors}\n` +
        `latency ms: p50 ${result.p50}  p90 ${result.p90}  p99 ${result.p99}  max ${result.max}  (target p99 < 50)\n`,
    );
    const out = join(import.meta.dirname, "results");
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, "rest.json"),
      `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`,
    );
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
