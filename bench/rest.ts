/**
 * REST latency under load: GET /api/system/processes?page=0&size=20 with 100,000 processes stored directly
 * in a fresh SQLite store, 50 concurrent keep-alive connections (our own load generator on node:net, which
 * reads each answer only as far as its length; autocannon is not a dependency). The server runs in a child
 * process so the client does not steal its event loop, and tells its CPU time before and after each phase.
 * Run: `npx tsx bench/rest.ts [seconds=10] [connections=50] [processes=100000|both]`, or `both` as the first
 * argument: 1,000 then 100,000 processes. Targets: p99 < 50 ms; server CPU per request <= 0.2 ms, and at
 * 100,000 processes no worse than 0.9x the 1,000 figure (the cost must not grow with the table).
 * Each server also answers the same load on a page never asked before (FRESH: the cost when the store has
 * changed since the last poll) and on GET /healthz (public, a constant body): the floor, what Fastify and
 * the HTTP stack cost per request on this machine. `BENCH_BASELINE=DIR` (another checkout with its
 * node_modules) serves the same data directory from that code too, phase by phase alternately with this one,
 * so that before/after ratios come from one run on a shared machine. `BENCH_PROF=1` writes CPU profiles of
 * the servers to /tmp/prof.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { createRegistry } from "../src/engine/registry.js";
import { createUserDirectory } from "../src/server/auth/users.js";
import { startServer } from "../src/server/start.js";
import { openStore } from "../src/store/index.js";

const PATH = "/api/system/processes?page=0&size=20";
/** The floor: a public route with a constant body (no authentication, no store). */
const FLOOR = "/healthz";
/**
 * The same list, each request with another (ignored) query parameter: a page nobody asked for yet, built from
 * the store, as after every write (while processes run and report progress, most polls are such).
 */
const FRESH = `${PATH}&n={n}`;
const WARM_UP_MS = Number(process.env.BENCH_WARM_UP_MS ?? 3000);
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
  // Its own user: a baseline server may serve the same data directory.
  const name = `bench-${process.pid}`;
  await users.add({ name, role: "admin" });
  const token = await users.issueToken(name);
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

/**
 * One keep-alive connection sending GETs one after another (never pipelined, as a browser or fetch would)
 * until `until`; each answer is read only as far as its status and Content-Length, so that the client, on
 * the same 2 cores, leaves the server as much CPU as it can.
 */
function connection(
  url: URL,
  request: () => Buffer,
  until: number,
  done: (ms: number, status: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.setNoDelay(true);
    let head: Buffer | undefined;
    let received = 0;
    let need = -1;
    let status = 0;
    let sent = 0;
    const send = () => {
      if (performance.now() >= until) {
        socket.end();
        return;
      }
      head = undefined;
      received = 0;
      need = -1;
      sent = performance.now();
      socket.write(request());
    };
    socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (need < 0) {
        head = head === undefined ? chunk : Buffer.concat([head, chunk]);
        const end = head.indexOf("\r\n\r\n");
        if (end < 0) return;
        const text = head.toString("latin1", 0, end);
        status = Number(text.slice(9, 12));
        const length = /\r\ncontent-length: *(\d+)/i.exec(text);
        if (!length && status !== 304) {
          socket.destroy();
          reject(new Error(`an answer without Content-Length: ${text}`));
          return;
        }
        need = end + 4 + (length ? Number(length[1]) : 0);
      }
      if (received < need) return;
      done(performance.now() - sent, status);
      send();
    });
    socket.on("connect", send);
    socket.on("error", reject);
    socket.on("close", () => resolve());
  });
}

interface Phase {
  readonly path: string;
  readonly seconds: number;
  readonly requests: number;
  readonly perSecond: number;
  readonly serverCpuMsPerRequest: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  readonly loadAverage: number;
}

async function load(server: Server, path: string, seconds: number, connections: number): Promise<Phase> {
  const latencies: number[] = [];
  let errors = 0;
  const url = new URL(server.url);
  // `{n}` in a path counts up: every request another URL (a page never asked before: nothing kept).
  let n = 0;
  const make = (p: string) =>
    Buffer.from(`GET ${p} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
  const fixed = make(path);
  const request = path.includes("{n}") ? () => make(path.replace("{n}", String(n++))) : () => fixed;
  const count = (ms: number, status: number) => {
    latencies.push(ms);
    if (status !== 200) errors++;
  };
  // Warm-up at full load, not counted: the first seconds of a fresh server cost several times what later
  // ones do (JIT, and the kernel's socket buffers growing), for any code.
  const warm = performance.now() + WARM_UP_MS;
  await Promise.all(
    Array.from({ length: connections }, () => connection(url, request, warm, () => undefined)),
  );
  const cpuBefore = await server.cpu();
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, () => connection(url, request, end, count)));
  const took = (performance.now() - started) / 1000;
  const cpuMs = (await server.cpu()) - cpuBefore;
  latencies.sort((x, y) => x - y);
  const ms = (v: number) => Math.round(v * 100) / 100;
  return {
    path,
    seconds: ms(took),
    requests: latencies.length,
    perSecond: Math.round(latencies.length / took),
    serverCpuMsPerRequest: Math.round((cpuMs / latencies.length) * 1000) / 1000,
    p50: ms(percentile(latencies, 50)),
    p90: ms(percentile(latencies, 90)),
    p99: ms(percentile(latencies, 99)),
    max: ms(latencies[latencies.length - 1]),
    errors,
    loadAverage: Math.round(loadavg()[0] * 100) / 100,
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
        if (process.env.BENCH_DEBUG)
          process.stderr.write(`server cpu: user ${cpu.user} us, system ${cpu.system} us\n`);
        resolve((cpu.user + cpu.system) / 1000);
      });
      child.stdin!.write("cpu\n");
    });
}

interface Server {
  readonly label: string;
  readonly url: string;
  readonly token: string;
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

/** Starts `checkout`'s bench/rest.ts in server mode on the data directory. */
async function startChild(label: string, checkout: string, dataDir: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []),
      "--import",
      "tsx",
      join(checkout, "bench", "rest.ts"),
      "--serve",
      dataDir,
    ],
    { cwd: checkout, stdio: ["pipe", "pipe", "inherit"] },
  );
  const exited = new Promise((r) => child.once("exit", r));
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
  };
  try {
    const line = await new Promise<string>((resolve, reject) => {
      const first = createInterface({ input: child.stdout! });
      first.once("line", (l) => {
        first.close();
        resolve(l);
      });
      child.once("exit", (code) => reject(new Error(`server (${label}) exited ${code}`)));
    });
    const { url, token } = JSON.parse(line) as { url: string; token: string };
    return { label, url, token, cpu: cpuReader(child), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** CPU the idle server uses per second (timers, the dispatcher's polls): what every request shares. */
async function idleCpuMsPerSecond(server: Server): Promise<number> {
  const before = await server.cpu();
  await new Promise((r) => setTimeout(r, 2000));
  return Math.round(((await server.cpu()) - before) / 2);
}

function report(count: number, label: string, phase: Phase): void {
  process.stdout.write(
    `${label.padEnd(8)} ${count} processes  GET ${phase.path}: ${phase.requests} requests (${phase.perSecond}/s), ` +
      `server CPU ${phase.serverCpuMsPerRequest} ms/request, latency ms p50 ${phase.p50} p90 ${phase.p90} ` +
      `p99 ${phase.p99} max ${phase.max}, errors ${phase.errors}, load average ${phase.loadAverage}\n`,
  );
}

interface ServerResult {
  idleCpuMsPerSecond: number;
  list: Phase;
  fresh: Phase;
  floor: Phase;
  extra?: Phase[];
}

async function measure(
  seconds: number,
  connections: number,
  count: number,
): Promise<{ processes: number; seedSeconds: number; connections: number } & Record<string, ServerResult>> {
  const dataDir = await mkdtemp(join(tmpdir(), "nightshift-bench-rest-"));
  const seeding = performance.now();
  await seed(dataDir, count);
  const seedSeconds = Math.round((performance.now() - seeding) / 100) / 10;
  const checkouts: [string, string][] = [["current", join(import.meta.dirname, "..")]];
  if (process.env.BENCH_BASELINE) checkouts.unshift(["baseline", process.env.BENCH_BASELINE]);
  const servers: Server[] = [];
  try {
    // One at a time on the same data directory (each adds its own bench user and token).
    for (const [label, dir] of checkouts) servers.push(await startChild(label, dir, dataDir));
    const results: Record<string, ServerResult> = {};
    for (const s of servers) results[s.label] = { idleCpuMsPerSecond: await idleCpuMsPerSecond(s) } as never;
    // Each server builds fresh pages for a while first, not counted: a new server's JIT and heap take many
    // seconds of such load to settle (the first list phase of an unwarmed server cost 2-3x its later ones).
    for (const s of servers) await load(s, FRESH, 5, connections);
    // Phase by phase, alternately: a change in the machine's load falls on both servers alike.
    const phases: ["list" | "fresh" | "floor" | "extra", string][] = [
      ["list", PATH],
      ["fresh", FRESH],
      ["floor", FLOOR],
    ];
    for (const path of process.env.BENCH_PATHS?.split(" ").filter(Boolean) ?? [])
      phases.push(["extra", path]);
    for (const [name, path] of phases) {
      for (const s of servers) {
        const phase = await load(s, path, seconds, connections);
        if (name !== "extra") results[s.label][name] = phase;
        else results[s.label].extra = [...(results[s.label].extra ?? []), phase];
        report(count, s.label, phase);
      }
    }
    for (const s of servers) {
      const r = results[s.label];
      process.stdout.write(
        `${s.label.padEnd(8)} ${count} processes: list ${r.list.serverCpuMsPerRequest} ms/request (target <= 0.2), ` +
          `a page never asked before ${r.fresh.serverCpuMsPerRequest}, floor ${r.floor.serverCpuMsPerRequest}; ` +
          `idle ${r.idleCpuMsPerSecond} ms CPU/s\n`,
      );
    }
    if (results.baseline) {
      const ratio = (k: "list" | "fresh") =>
        (results.current[k].serverCpuMsPerRequest / results.baseline[k].serverCpuMsPerRequest).toFixed(2);
      process.stdout.write(
        `${count} processes: current needs ${ratio("list")}x the baseline's CPU per list request ` +
          `(${ratio("fresh")}x for a page never asked before)\n`,
      );
    }
    return { ...results, processes: count, seedSeconds, connections } as never;
  } finally {
    for (const s of servers) await s.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  if (process.argv[2] === "--serve") return serve(process.argv[3]);
  const args = process.argv.slice(2);
  const both = args.length === 0 || args.includes("both");
  const numbers = args.filter((a) => a !== "both").map(Number);
  const seconds = numbers[0] ?? 10;
  const connections = numbers[1] ?? 50;
  const counts = both ? [1_000, 100_000] : [numbers[2] ?? 100_000];
  const results = [];
  for (const count of counts) results.push(await measure(seconds, connections, count));
  if (results.length === 2) {
    const [small, large] = results;
    const ratio = small.current.list.serverCpuMsPerRequest / large.current.list.serverCpuMsPerRequest;
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
