/**
 * Cluster benchmark on an embedded PostgreSQL, real `nightshift worker` OS processes (from source):
 * 1. drain: N trivial processes (BENCH_DRAIN, default 10,000) queued at once, drained by 1, 2 and 4 workers
 *    (BENCH_WORKERS, concurrency BENCH_CONCURRENCY = 4 each); processes per second from the queueing to the last
 *    COMPLETED, and where the time goes, per process: the workers' PostgreSQL round trips by kind (count and
 *    wall time, measured inside the worker by bench/support/cluster-trace.ts), their CPU and event-loop busy
 *    time, the server's execution time (pg_stat_statements), commits, and PostgreSQL's CPU time;
 * 2. wake-up latency: create -> RUNNING (created_at to started_at) of one process at a time on an idle worker,
 *    with LISTEN/NOTIFY (`listen: true`) and with polling only (`listen: false`), p50/p99 over BENCH_SAMPLES (40);
 * 3. cancel latency: a RUNNING process on an idle worker cancelled from this OS process (another node), from
 *    the request to its finished_at, p50/p99 over BENCH_CANCELS (40), with LISTEN/NOTIFY and with polling only.
 *
 * Side by side: BENCH_BASELINE=<a checkout of an older commit, with node_modules> runs every measurement with
 * that checkout's workers too ("before"), interleaved with this one's ("after"), in the same run.
 * BENCH_PROFILE=1 takes a CPU profile of the worker of each 1-worker drain (bench/out/cluster-*.cpuprofile) and
 * prints where its CPU went. Prints tables and one JSON line.
 *
 * ```sh
 * git -C . archive <commit> | tar -x -C /tmp/base && ln -s "$PWD/node_modules" /tmp/base/node_modules
 * BENCH_BASELINE=/tmp/base BENCH_DRAIN=2000 npx tsx bench/cluster.ts
 * ```
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "kysely";
import { stringify } from "yaml";
import { openStore } from "../src/store/index.js";
import { insertProcess } from "../src/store/queries/insert-process.js";
import { CHANNELS, notify } from "../src/store/queries/notify.js";
import { requestCancel } from "../src/store/queries/request-cancel.js";
import type { Store } from "../src/store/store.js";
import { startPostgres } from "../test/fixtures/postgres/start.js";
import type { CliChild } from "../test/fixtures/scripts/cli-harness.js";

const N = Number(process.env.BENCH_DRAIN ?? 10_000);
const WORKERS = (process.env.BENCH_WORKERS ?? "1,2,4").split(",").map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const CANCELS = Number(process.env.BENCH_CANCELS ?? 40);
const PROFILE = process.env.BENCH_PROFILE === "1";
/** BENCH_STATEMENTS=1: every statement the workers sent, with its calls per process. */
const STATEMENTS = process.env.BENCH_STATEMENTS === "1";
const HERE = resolve(import.meta.dirname, "..");
const TRACER = join(import.meta.dirname, "support", "cluster-trace.ts");
const OUT = join(import.meta.dirname, "out");

interface Tree {
  readonly label: string;
  readonly root: string;
}
const trees: Tree[] = process.env.BENCH_BASELINE
  ? [
      { label: "before", root: resolve(process.env.BENCH_BASELINE) },
      { label: "after", root: HERE },
    ]
  : [{ label: "this", root: HERE }];

const pg = await startPostgres({
  settings: { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all" },
});
const root = await mkdtemp(join(tmpdir(), "nightshift-bench-cluster-"));
await mkdir(OUT, { recursive: true });
const results: Record<string, unknown> = {};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
console.log(`load average at start: ${load()}`);
try {
  const drains: Record<string, Drain> = {};
  for (const workers of WORKERS) {
    for (const tree of trees) {
      const d = await drain(tree, workers);
      drains[`${tree.label}_${workers}`] = d;
      console.log(
        `drain ${N} with ${workers} worker(s) [${tree.label}]: ${d.seconds} s, ${d.perSecond}/s (load ${d.load})`,
      );
    }
  }
  results.drain = drains;
  printDrains(drains);
  for (const listen of [true, false]) {
    for (const tree of trees) {
      const lat = await wakeLatency(tree, listen);
      results[`latency_${listen ? "listen" : "poll"}_${tree.label}`] = lat;
      console.log(
        `create -> RUNNING, ${listen ? "LISTEN/NOTIFY" : "polling only "} [${tree.label}]: p50 ${lat.p50} ms, p99 ${lat.p99} ms (load ${lat.load})`,
      );
    }
  }
  for (const listen of [true, false]) {
    for (const tree of trees) {
      const lat = await cancelLatency(tree, listen);
      results[`cancel_${listen ? "listen" : "poll"}_${tree.label}`] = lat;
      console.log(
        `cancel -> CANCELLED, ${listen ? "LISTEN/NOTIFY" : "polling only "} [${tree.label}]: p50 ${lat.p50} ms, p99 ${lat.p99} ms (load ${lat.load})`,
      );
    }
  }
  console.log(JSON.stringify({ bench: "cluster", n: N, results }));
} finally {
  await pg.stop();
  await rm(root, { recursive: true, force: true });
}

interface Drain {
  processes: number;
  workers: number;
  seconds: number;
  perSecond: number;
  load: string;
  /** Per process, summed over the workers. */
  perProcess: {
    roundTrips: number;
    roundTripMs: number;
    byKind: Record<string, { calls: number; ms: number; serverMs: number }>;
    workerCpuMs: number;
    eventLoopBusyMs: number;
    eventLoopIdleMs: number;
    serverExecMs: number;
    commits: number;
    postgresCpuMs: number;
  };
  /** started_at -> finished_at: how long a process holds a slot (claim to the end recorded). */
  slotMs: { p50: number; p99: number };
  profile?: { file: string; top: { where: string; percent: number }[] };
}

async function drain(tree: Tree, workers: number): Promise<Drain> {
  const url = await pg.database();
  const store = await openStore({ dataDir: root, databaseUrl: url });
  await sql`create extension if not exists pg_stat_statements`.execute(store.db);
  const nodes = await startWorkers(tree, url, workers, { listen: true }, PROFILE && workers === 1);
  // Every worker measures from here (SIGUSR2), the server too.
  for (const n of nodes) n.child.kill("SIGUSR2");
  await sql`select pg_stat_statements_reset()`.execute(store.db);
  const commits0 = await commits(store);
  const pgCpu0 = postgresCpuMs(pg.pid);
  const loadAt = load();
  const start = performance.now();
  await queue(store, N);
  await until(store, N);
  const seconds = (performance.now() - start) / 1000;
  const pgCpu = postgresCpuMs(pg.pid) - pgCpu0;
  const commitsDone = (await commits(store)) - commits0;
  for (const n of nodes) n.child.kill("SIGUSR2");
  const traces = await Promise.all(nodes.map((n) => readTrace(n.trace)));
  const server = await serverStatements(store);
  const byKind: Drain["perProcess"]["byKind"] = {};
  const entry = (k: string) => {
    byKind[k] ??= { calls: 0, ms: 0, serverMs: 0 };
    return byKind[k];
  };
  let roundTrips = 0;
  let roundTripMs = 0;
  for (const t of traces) {
    for (const [text, s] of Object.entries(t.statements)) {
      const k = kind(text);
      const e = entry(k);
      e.calls += s.calls;
      e.ms += s.ms;
      roundTrips += s.calls;
      roundTripMs += s.ms;
    }
  }
  if (STATEMENTS) {
    const all = new Map<string, number>();
    for (const t of traces)
      for (const [text, s] of Object.entries(t.statements)) all.set(text, (all.get(text) ?? 0) + s.calls);
    for (const [text, calls] of [...all].sort((a, b) => b[1] - a[1]))
      console.log(`${(calls / N).toFixed(3).padStart(8)}  ${text.slice(0, 160)}`);
  }
  let serverExecMs = 0;
  for (const s of server) {
    const k = kind(s.query);
    if (k === "bench") continue;
    entry(k).serverMs += s.ms;
    serverExecMs += s.ms;
  }
  const per = (x: number) => round(x / N, 3);
  for (const e of Object.values(byKind)) {
    e.calls = per(e.calls);
    e.ms = per(e.ms);
    e.serverMs = per(e.serverMs);
  }
  const slot = await slotTimes(store);
  const result: Drain = {
    processes: N,
    workers,
    seconds: round(seconds),
    perSecond: Math.round(N / seconds),
    load: loadAt,
    perProcess: {
      roundTrips: per(roundTrips),
      roundTripMs: per(roundTripMs),
      byKind,
      workerCpuMs: per(traces.reduce((a, t) => a + t.cpu.userMs + t.cpu.systemMs, 0)),
      eventLoopBusyMs: per(traces.reduce((a, t) => a + t.eventLoop.activeMs, 0)),
      eventLoopIdleMs: per(traces.reduce((a, t) => a + t.eventLoop.idleMs, 0)),
      serverExecMs: per(serverExecMs),
      commits: per(commitsDone),
      postgresCpuMs: per(pgCpu),
    },
    slotMs: slot,
  };
  await stop(nodes);
  const profiled = nodes.find((n) => n.profile);
  if (profiled?.profile) {
    const file = join(OUT, `cluster-${tree.label}-${workers}.cpuprofile`);
    await writeFile(file, await readFile(profiled.profile));
    result.profile = { file, top: summariseProfile(profiled.profile) };
  }
  await store.close();
  return result;
}

/** The kind of a statement, from its text (as the worker sent it, or as pg_stat_statements normalised it). */
function kind(text: string): string {
  const t = text.replace(/\s+/g, " ").trim().toLowerCase();
  if (/^begin/.test(t)) return "begin";
  if (/^commit/.test(t)) return "commit";
  if (/^rollback/.test(t)) return "rollback";
  if (/^with done as \(update/.test(t)) return "finish (one statement)";
  if (/^with (chosen|free|first_limited) as|set status = .running.|pg_try_advisory_xact_lock/.test(t))
    return "claim";
  if (/cancel_requested/.test(t) && /^select/.test(t)) return "cancel poll";
  if (/insert into file_chunks/.test(t)) return "log append";
  if (/from file_chunks/.test(t)) return "log read (hash)";
  if (/^update "processes" set "status"/.test(t)) return "finish";
  if (/process_files/.test(t)) return "process_files";
  if (/^select pg_notify/.test(t)) return "notify";
  if (
    /insert into "processes"|count\(\*\)::int as n from processes|pg_stat_statements|pg_stat_database/.test(t)
  )
    return "bench";
  if (/"workers"|lease_expires_at/.test(t)) return "heartbeat/recovery";
  return "other";
}

interface Trace {
  wallMs: number;
  eventLoop: { activeMs: number; idleMs: number };
  cpu: { userMs: number; systemMs: number };
  statements: Record<string, { calls: number; ms: number }>;
}

async function readTrace(file: string): Promise<Trace> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return JSON.parse(await readFile(file, "utf8")) as Trace;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function serverStatements(store: Store) {
  const { rows } = await sql<{ query: string; calls: number; ms: number }>`
    select query, calls::int as calls, total_exec_time as ms from pg_stat_statements
    where dbid = (select oid from pg_database where datname = current_database())`.execute(store.db);
  return rows;
}

async function commits(store: Store): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select xact_commit::int as n from pg_stat_database where datname = current_database()`.execute(store.db);
  return rows[0].n;
}

/** CPU time (ms) of the PostgreSQL server: the postmaster, its live children, and its reaped ones. */
function postgresCpuMs(postmaster: number): number {
  const tick = 10; // USER_HZ is 100 on Linux
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const pid = Number(entry);
    const ppid = Number(f[1]);
    const [utime, stime, cutime, cstime] = [f[11], f[12], f[13], f[14]].map(Number);
    if (pid === postmaster) total += (utime + stime + cutime + cstime) * tick;
    else if (ppid === postmaster) total += (utime + stime) * tick;
  }
  return total;
}

async function slotTimes(store: Store) {
  const rows = await store.db.selectFrom("processes").select(["started_at", "finished_at"]).execute();
  const ms = rows
    .filter((r) => r.started_at && r.finished_at)
    .map((r) => Date.parse(r.finished_at ?? "") - Date.parse(r.started_at ?? ""))
    .sort((a, b) => a - b);
  const p = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  return { p50: p(0.5), p99: p(0.99) };
}

/** Self time of a CPU profile by where the code lives (a package, a source file, Node itself), top 12. */
function summariseProfile(file: string) {
  const profile = JSON.parse(readFileSync(file, "utf8")) as {
    nodes: { id: number; callFrame: { url: string; functionName: string }; hitCount?: number }[];
  };
  const by = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const hits = n.hitCount ?? 0;
    if (!hits || n.callFrame.functionName === "(idle)") continue;
    const url = n.callFrame.url;
    const where = url.includes("/node_modules/")
      ? `npm ${url.split("/node_modules/").pop()?.split("/")[0]}`
      : url.includes("/src/")
        ? `src/${url.split("/src/").pop()} ${n.callFrame.functionName}`
        : url.startsWith("node:")
          ? url
          : n.callFrame.functionName || "(anonymous)";
    by.set(where, (by.get(where) ?? 0) + hits);
    total += hits;
  }
  return [...by]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([where, hits]) => ({ where, percent: round((100 * hits) / total, 1) }));
}

function printDrains(drains: Record<string, Drain>) {
  const keys = Object.keys(drains);
  const kinds = [...new Set(keys.flatMap((k) => Object.keys(drains[k].perProcess.byKind)))].sort();
  const col = (s: string) => s.padStart(16);
  console.log(`\nper process (summed over a drain's workers, divided by ${N})`);
  console.log(`${"".padEnd(30)}${keys.map(col).join("")}`);
  const row = (label: string, f: (d: Drain) => string | number) =>
    console.log(`${label.padEnd(30)}${keys.map((k) => col(String(f(drains[k])))).join("")}`);
  row("processes/s", (d) => d.perSecond);
  row("load average (1/5/15)", (d) => d.load.split(" ")[0]);
  row("slot ms p50 (claim..finish)", (d) => d.slotMs.p50);
  row("slot ms p99", (d) => d.slotMs.p99);
  row("worker CPU ms", (d) => d.perProcess.workerCpuMs);
  row("worker event loop busy ms", (d) => d.perProcess.eventLoopBusyMs);
  row("worker event loop idle ms", (d) => d.perProcess.eventLoopIdleMs);
  row("PostgreSQL CPU ms", (d) => d.perProcess.postgresCpuMs);
  row("server exec ms", (d) => d.perProcess.serverExecMs);
  row("commits", (d) => d.perProcess.commits);
  row("round trips", (d) => d.perProcess.roundTrips);
  row("round-trip wall ms", (d) => d.perProcess.roundTripMs);
  for (const k of kinds) {
    row(`  ${k}: calls`, (d) => d.perProcess.byKind[k]?.calls ?? 0);
    row(`  ${k}: wall ms`, (d) => d.perProcess.byKind[k]?.ms ?? 0);
    row(`  ${k}: server ms`, (d) => d.perProcess.byKind[k]?.serverMs ?? 0);
  }
  for (const k of keys) {
    const p = drains[k].profile;
    if (!p) continue;
    console.log(`\nCPU profile of the worker, ${k} (self time, ${p.file}):`);
    for (const t of p.top) console.log(`  ${String(t.percent).padStart(5)} %  ${t.where}`);
  }
  console.log("");
}

async function wakeLatency(tree: Tree, listen: boolean) {
  const url = await pg.database();
  const store = await openStore({ dataDir: root, databaseUrl: url });
  const nodes = await startWorkers(tree, url, 1, { listen });
  const loadAt = load();
  const lat: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const row = await store.write((db) => insertProcess(db, newProcess("tick")));
    const r = await waitFor(store, row.id, ["RUNNING", "COMPLETED"]);
    lat.push(Date.parse(r.started_at ?? "") - Date.parse(r.created_at));
    await waitFor(store, row.id, ["COMPLETED"]);
    // Not in step with the worker's poll.
    await new Promise((res) => setTimeout(res, 20 + Math.random() * 80));
  }
  await stop(nodes);
  await store.close();
  return { ...percentiles(lat), samples: lat.length, load: loadAt };
}

async function cancelLatency(tree: Tree, listen: boolean) {
  const url = await pg.database();
  const store = await openStore({ dataDir: root, databaseUrl: url });
  const nodes = await startWorkers(tree, url, 1, { listen });
  const loadAt = load();
  const lat: number[] = [];
  for (let i = 0; i < CANCELS; i++) {
    const row = await store.write((db) => insertProcess(db, newProcess("wait")));
    await waitFor(store, row.id, ["RUNNING"]);
    await new Promise((res) => setTimeout(res, 20 + Math.random() * 80));
    const asked = Date.now();
    await store.write((db) => requestCancel(db, row.id, new Date(asked).toISOString()));
    const r = await waitFor(store, row.id, ["CANCELLED", "FAILED", "COMPLETED"]);
    if (r.status !== "CANCELLED") throw new Error(`process ${row.id} ended ${r.status}, not CANCELLED`);
    lat.push(Date.parse(r.finished_at ?? "") - asked);
  }
  await stop(nodes);
  await store.close();
  return { ...percentiles(lat), samples: lat.length, load: loadAt };
}

async function waitFor(store: Store, id: number, statuses: string[]) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await store.db.selectFrom("processes").selectAll().where("id", "=", id).executeTakeFirst();
    if (r && statuses.includes(r.status)) return r;
    if (Date.now() > deadline) throw new Error(`process ${id} not ${statuses.join("/")} within 60 s`);
    await new Promise((res) => setTimeout(res, 5));
  }
}

function percentiles(values: number[]) {
  const v = [...values].sort((a, b) => a - b);
  const p = (q: number) => v[Math.min(v.length - 1, Math.floor(q * v.length))];
  return { p50: p(0.5), p99: p(0.99) };
}

function round(x: number, digits = 2) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function newProcess(script: string) {
  const now = new Date().toISOString();
  return {
    script,
    parameters: "[]",
    paramValues: "{}",
    secretKeys: null,
    startedBy: "cli" as const,
    userId: null,
    account: null,
    status: "SCHEDULED" as const,
    priority: 0,
    runAt: now,
    createdAt: now,
    workerId: null,
    resumedFrom: null,
  };
}

/** N rows in batches of 1,000 (one statement each), then one notification. */
async function queue(store: Store, n: number) {
  for (let done = 0; done < n; done += 1000) {
    const rows = Array.from({ length: Math.min(1000, n - done) }, () => {
      const p = newProcess("tick");
      return {
        script: p.script,
        parameters: p.parameters,
        param_values: p.paramValues,
        started_by: p.startedBy,
        status: p.status,
        priority: 0,
        run_at: p.runAt,
        created_at: p.createdAt,
      };
    });
    await store.write(async (db) => {
      await db.insertInto("processes").values(rows).execute();
      await notify(db, CHANNELS.process);
    });
  }
}

async function until(store: Store, n: number) {
  for (;;) {
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from processes where status = 'COMPLETED'`.execute(store.db);
    if (rows[0].n >= n) return rows[0].n;
    await new Promise((res) => setTimeout(res, 100));
  }
}

interface Worker {
  readonly child: CliChild["child"];
  readonly exited: Promise<unknown>;
  readonly trace: string;
  readonly profile?: string;
}

/** `nightshift worker` of `tree`, with the tracer loaded (measuring between two SIGUSR2). */
async function startWorkers(
  tree: Tree,
  url: string,
  count: number,
  config: Record<string, unknown>,
  profile = false,
): Promise<Worker[]> {
  const nodes: (Worker & { started: Promise<void> })[] = [];
  for (let i = 0; i < count; i++) {
    const home = await mkdtemp(join(root, "w-"));
    const file = join(home, "config.yaml");
    const scripts = join(tree.root, "test", "fixtures", "cluster", "scripts.ts");
    await writeFile(file, stringify({ scriptModules: [scripts], concurrency: CONCURRENCY, ...config }));
    const trace = join(home, "trace.json");
    const prof = profile && i === 0 ? join(home, "worker.cpuprofile") : undefined;
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--import",
        TRACER,
        join(tree.root, "bin", "nightshift.js"),
        "worker",
        "--json",
      ].concat(["--data-dir", join(home, "data"), "--config", file]),
      {
        cwd: HERE,
        env: {
          ...process.env,
          NIGHTSHIFT_FROM_SOURCE: "1",
          NIGHTSHIFT_DATABASE_URL: url,
          NIGHTSHIFT_BENCH_TRACE: trace,
          ...(prof ? { NIGHTSHIFT_BENCH_PROFILE: prof } : {}),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const started = new Promise<void>((res, rej) => {
      child.stdout?.on("data", (d: Buffer) => {
        // Only the start-up is kept: a drain prints two lines per process.
        if (out.length < 100_000) out += d.toString();
        if (out.includes('"event":"started"')) res();
      });
      child.on("exit", () => rej(new Error(`worker exited before it started:\n${out}\n${err}`)));
    });
    const exited = new Promise((res) => child.on("close", res));
    nodes.push({ child, exited, trace, profile: prof, started });
  }
  await Promise.all(nodes.map((n) => n.started));
  return nodes;
}

async function stop(nodes: Worker[]) {
  for (const n of nodes) n.child.kill("SIGTERM");
  await Promise.all(nodes.map((n) => n.exited));
}
