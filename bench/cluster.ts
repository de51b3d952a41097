/**
 * Cluster benchmark on an embedded PostgreSQL, real `nightshift worker` OS processes (from source):
 * 1. drain: N trivial processes (BENCH_DRAIN, default 10,000) queued at once, drained by 1, 2 and 4 workers
 *    (concurrency 4 each); processes per second from the queueing to the last COMPLETED;
 * 2. wake-up latency: create -> RUNNING (created_at to started_at) of one process at a time on an idle worker,
 *    with LISTEN/NOTIFY (`listen: true`) and with polling only (`listen: false`), p50/p99 over BENCH_SAMPLES (40).
 * Prints a table and one JSON line.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { stringify } from "yaml";
import { openStore } from "../src/store/index.js";
import { insertProcess } from "../src/store/queries/insert-process.js";
import { CHANNELS, notify } from "../src/store/queries/notify.js";
import type { Store } from "../src/store/store.js";
import { startPostgres } from "../test/fixtures/postgres/start.js";
import { startCli } from "../test/fixtures/scripts/cli-harness.js";

const N = Number(process.env.BENCH_DRAIN ?? 10_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const SCRIPTS = join(import.meta.dirname, "..", "test", "fixtures", "cluster", "scripts.ts");

const pg = await startPostgres();
const root = await mkdtemp(join(tmpdir(), "nightshift-bench-cluster-"));
const results: Record<string, unknown> = {};
try {
  for (const workers of [1, 2, 4]) {
    const url = await pg.database();
    const store = await openStore({ dataDir: root, databaseUrl: url });
    const nodes = await startWorkers(url, workers, true);
    const start = performance.now();
    await queue(store, N);
    const drained = await until(store, N);
    const seconds = (performance.now() - start) / 1000;
    results[`drain_${workers}`] = {
      processes: N,
      seconds: round(seconds),
      perSecond: Math.round(N / seconds),
    };
    console.log(`drain ${N} with ${workers} worker(s): ${round(seconds)} s, ${Math.round(N / seconds)}/s`);
    void drained;
    await stop(nodes);
    await store.close();
  }
  for (const listen of [true, false]) {
    const url = await pg.database();
    const store = await openStore({ dataDir: root, databaseUrl: url });
    const nodes = await startWorkers(url, 1, listen);
    const lat: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const row = await store.write(async (db) => {
        const r = await insertProcess(db, newProcess());
        return r;
      });
      for (;;) {
        const r = await store.db
          .selectFrom("processes")
          .select(["started_at", "created_at"])
          .where("id", "=", row.id)
          .executeTakeFirst();
        if (r?.started_at) {
          lat.push(Date.parse(r.started_at) - Date.parse(r.created_at));
          break;
        }
        await new Promise((res) => setTimeout(res, 5));
      }
      await new Promise((res) => setTimeout(res, 20 + Math.random() * 80));
    }
    lat.sort((a, b) => a - b);
    const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))];
    results[`latency_${listen ? "listen" : "poll"}`] = { p50: p(0.5), p99: p(0.99), samples: lat.length };
    console.log(
      `create -> RUNNING, ${listen ? "LISTEN/NOTIFY" : "polling   "}: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`,
    );
    await stop(nodes);
    await store.close();
  }
  console.log(JSON.stringify({ bench: "cluster", results }));
} finally {
  await pg.stop();
  await rm(root, { recursive: true, force: true });
}

function round(x: number) {
  return Math.round(x * 100) / 100;
}

function newProcess() {
  const now = new Date().toISOString();
  return {
    script: "tick",
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
      const p = newProcess();
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

async function startWorkers(url: string, count: number, listen: boolean) {
  const nodes = [];
  for (let i = 0; i < count; i++) {
    const home = await mkdtemp(join(root, "w-"));
    const config = join(home, "config.yaml");
    await writeFile(config, stringify({ scriptModules: [SCRIPTS], concurrency: 4, listen }));
    nodes.push(
      startCli(["worker", "--json", "--data-dir", join(home, "data"), "--config", config], {
        NIGHTSHIFT_DATABASE_URL: url,
      }),
    );
  }
  await Promise.all(nodes.map((n) => n.waitForOutput(/"event":"started"/, 120_000)));
  return nodes;
}

async function stop(nodes: ReturnType<typeof startCli>[]) {
  for (const n of nodes) n.child.kill("SIGTERM");
  await Promise.all(nodes.map((n) => n.exited));
}
