/**
 * The web UI's Processes page at 100,000 processes: the time the API takes for each request the page makes
 * (a page of 50, the five status counts) and for paging deep (page 1,000, the last page), filtered or not,
 * and for a refresh the browser revalidates with If-None-Match (304). The processes are stored straight into
 * a fresh SQLite file in one transaction; the server runs in this process; requests are sequential, over
 * keep-alive loopback, each repeated and reported as median and 95th percentile.
 * Run: `npx tsx bench/web-paging.ts [processes=100000] [repeats=30]`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { createRegistry } from "../src/engine/registry.js";
import { createUserDirectory } from "../src/server/auth/users.js";
import { startServer } from "../src/server/start.js";
import { openStore } from "../src/store/index.js";
import { sqliteFile } from "../src/store/sqlite/index.js";

const COUNT = Number(process.argv[2] ?? 100_000);
const REPEATS = Number(process.argv[3] ?? 30);
const SIZE = 50;
const STATUSES = ["COMPLETED", "COMPLETED", "FAILED", "CANCELLED", "COMPLETED"];

function seed(dataDir: string, count: number): number {
  const db = new BetterSqlite3(sqliteFile(dataDir));
  const started = performance.now();
  const insert = db.prepare(
    `insert into processes (script, parameters, param_values, started_by, user_id, status, run_at, created_at,
       started_at, finished_at, progress_done, progress_total, outcome, outcome_counts)
     values (?, '[{"name":"--input","value":"numbers.txt"}]', '{}', 'rest', ?, ?, ?, ?, ?, ?, 100, 100, ?, ?)`,
  );
  const t0 = Date.parse("2024-01-01T00:00:00Z");
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const at = (ms: number) => new Date(t0 + i * 60_000 + ms).toISOString();
      const status = STATUSES[i % STATUSES.length];
      const errors = status === "COMPLETED" && i % 7 === 0;
      insert.run(
        i % 3 === 0 ? "marc-convert" : "worldcat-holdings",
        `user-${i % 10}`,
        status,
        at(0),
        at(0),
        at(100),
        at(5000),
        status === "COMPLETED" ? (errors ? "errors" : "ok") : null,
        status === "COMPLETED"
          ? JSON.stringify({ total: 100, failed: errors ? 7 : 0, unknown: 0, warnings: 0 })
          : null,
      );
    }
  })();
  db.close();
  return performance.now() - started;
}

const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => xs[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

async function main() {
  const dataDir = await mkdtemp(join(tmpdir(), "nightshift-web-paging-"));
  try {
    await (await openStore(dataDir)).close(); // the schema
    const seedMs = seed(dataDir, COUNT);
    const config = { ...(await loadConfig({ dataDir, env: {} })), port: 0 };
    const engine = await openEngine({ config, scripts: createRegistry([]) });
    const users = createUserDirectory(engine.store);
    await users.add({ name: "bench", role: "admin" });
    const token = await users.issueToken("bench");
    const server = await startServer(engine, { port: 0, host: "127.0.0.1", bootstrapAdmin: false });
    const get = async (path: string, etag?: string) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (etag) headers["if-none-match"] = etag;
      const t = performance.now();
      const res = await fetch(`${server.url}${path}`, { headers });
      const body = await res.text();
      const ms = performance.now() - t;
      if (res.status !== 200 && res.status !== 304) throw new Error(`${path}: ${res.status} ${body}`);
      return { ms, status: res.status, etag: res.headers.get("etag") ?? undefined, body };
    };
    const total = COUNT;
    const last = Math.ceil(total / SIZE) - 1;
    const failedLast = Math.ceil(total / 5 / SIZE) - 1;
    const list = (q: string) => `/api/system/processes?${q}&size=${SIZE}`;
    const cases: { name: string; path: string; conditional?: boolean }[] = [
      { name: "page 1 (newest 50)", path: list("page=0") },
      { name: "page 1,001", path: list("page=1000") },
      { name: `last page (${(last + 1).toLocaleString("en-US")})`, path: list(`page=${last}`) },
      { name: "FAILED, page 1", path: list("page=0&processStatus=FAILED") },
      { name: "FAILED, last page", path: list(`page=${failedLast}&processStatus=FAILED`) },
      { name: "script filter, page 1", path: list("page=0&scriptName=marc-convert") },
      { name: "one user, last page", path: list(`page=${Math.ceil(total / 10 / SIZE) - 1}&userId=user-3`) },
      {
        name: "date range (a day), page 1",
        path: list("page=0&createdAfter=2024-02-01T00:00:00Z&createdBefore=2024-02-02T00:00:00Z"),
      },
      { name: "one status count", path: "/api/system/processes?processStatus=COMPLETED&page=0&size=1" },
      { name: "all five counts (search/counts)", path: "/api/system/processes/search/counts" },
      { name: "page 1, unchanged (304)", path: list("page=0"), conditional: true },
      { name: "last page, unchanged (304)", path: list(`page=${last}`), conditional: true },
    ];
    const rows: { name: string; median: number; p95: number; status: number }[] = [];
    for (const c of cases) {
      const first = await get(c.path); // warm: the statement cache, the pages of the file
      const times: number[] = [];
      let status = first.status;
      for (let i = 0; i < REPEATS; i++) {
        const r = await get(c.path, c.conditional ? first.etag : undefined);
        times.push(r.ms);
        status = r.status;
      }
      times.sort((a, b) => a - b);
      rows.push({ name: c.name, median: median(times), p95: p95(times), status });
    }
    // What one refresh of the Processes page costs: the page and its status counts, in parallel; the counts
    // as the UI first asked them (the list once per status) and as it asks now (one search/counts).
    const fiveLists = ["SCHEDULED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"].map(
      (s) => `/api/system/processes?processStatus=${s}&page=0&size=1`,
    );
    for (const [name, counts] of [
      ["a refresh: page + 5 list counts (before)", fiveLists],
      ["a refresh: page + search/counts (now)", ["/api/system/processes/search/counts"]],
    ] as const) {
      const refresh: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const t = performance.now();
        await Promise.all([get(list("page=0")), ...counts.map((c) => get(c))]);
        refresh.push(performance.now() - t);
      }
      refresh.sort((a, b) => a - b);
      rows.push({ name, median: median(refresh), p95: p95(refresh), status: 200 });
    }

    process.stdout.write(
      `${COUNT.toLocaleString("en-US")} processes seeded in ${(seedMs / 1000).toFixed(1)} s; ${REPEATS} requests each, size ${SIZE}\n\n`,
    );
    process.stdout.write(`${"request".padEnd(34)} status  median ms  p95 ms\n`);
    for (const r of rows)
      process.stdout.write(
        `${r.name.padEnd(34)} ${String(r.status).padEnd(7)} ${r.median.toFixed(1).padStart(9)}  ${r.p95.toFixed(1).padStart(6)}\n`,
      );
    await server.close();
    await engine.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
