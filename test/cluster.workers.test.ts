/**
 * Workers as separate OS processes on one PostgreSQL, each with its own empty data directory: every process
 * runs exactly once among them, a per-script limit holds across all of them, and a dedicated worker
 * (`--scripts`) takes only its scripts.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { type Cluster, type ClusterNode, startCluster } from "./fixtures/cluster/cluster.js";
import { usePostgres } from "./fixtures/postgres/server.js";

const pg = usePostgres();

/** The ids each node said it started (`process:started` on its --json output). */
function startedBy(nodes: readonly ClusterNode[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const n of nodes) {
    const ids = n.cli
      .stdout()
      .split("\n")
      .filter((l) => l.includes('"event":"process:started"'))
      .map((l) => (JSON.parse(l) as { processId: number }).processId);
    out.set(n.name, ids);
  }
  return out;
}

async function cluster(options: Parameters<typeof startCluster>[0]): Promise<Cluster> {
  const c = await startCluster(options);
  pg.cleanups.push(c.close);
  return c;
}

it("300 processes started through a server run exactly once across 3 workers", async () => {
  const c = await cluster({ databaseUrl: await pg.server.database(), workers: 3, concurrency: 4 });
  const api = await c.startServer({ args: ["--concurrency", "0"] });
  const ids: number[] = [];
  for (let i = 0; i < 300; i++) ids.push(await c.createProcess(api, "tick", { "--note": String(i) }));
  await c.until(
    "300 processes COMPLETED",
    async () => {
      const rows = await c.store.db
        .selectFrom("processes")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("status", "=", "COMPLETED")
        .executeTakeFirstOrThrow();
      return Number(rows.n) === 300;
    },
    120_000,
  );
  const rows = await c.store.db.selectFrom("processes").select(["id", "status", "worker_id"]).execute();
  expect(rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(ids);
  // Each one was started once, by one of the three workers (the API-only server ran none).
  const started = startedBy([...c.workers, api]);
  expect(started.get(api.name)).toEqual([]);
  const all = [...started.values()].flat().sort((a, b) => a - b);
  expect(all).toEqual(ids);
  for (const r of rows) expect(c.workers.map((w) => w.workerId)).toContain(r.worker_id);
  // The work was shared.
  expect(c.workers.filter((w) => (started.get(w.name) ?? []).length > 0).length).toBeGreaterThan(1);
}, 240_000);

it("a per-script limit of 1 holds across 3 workers: no two runs of the script overlap", async () => {
  const c = await cluster({
    databaseUrl: await pg.server.database(),
    servers: 1,
    workers: 3,
    concurrency: 4,
    config: { scripts: { pause: { maxConcurrent: 1 } } },
  });
  const [api] = c.servers;
  // Every node runs on this machine: a directory here is one they all see.
  const probe = await mkdtemp(join(tmpdir(), "nightshift-probe-"));
  pg.cleanups.push(() => rm(probe, { recursive: true, force: true }));
  const ids: number[] = [];
  for (let i = 0; i < 24; i++)
    ids.push(await c.createProcess(api, "pause", { "--ms": "40", "--probe": probe }));
  for (const id of ids) await c.waitForStatus(id, "COMPLETED", 120_000);
  const runs = await c.store.db
    .selectFrom("processes")
    .select(["id", "result", "worker_id"])
    .where("script", "=", "pause")
    .execute();
  expect(runs).toHaveLength(24);
  // The runs themselves say whether another overlapped them (process times would not do: a claim stamps
  // started_at before its transaction waits for the script's advisory lock).
  for (const r of runs) {
    const result = JSON.parse(r.result ?? "{}");
    expect((result.summary ?? result).overlapped, `process ${r.id}`).toEqual([]);
  }
  expect(new Set(runs.map((r) => r.worker_id)).size).toBeGreaterThan(1);
}, 240_000);

it("worker --scripts takes only its scripts; the others wait for a worker that runs them", async () => {
  const c = await cluster({ databaseUrl: await pg.server.database() });
  const api = await c.startServer({ args: ["--concurrency", "0"] });
  const dedicated = await c.startWorker({ args: ["--scripts", "pause,tick", "--concurrency", "2"] });
  expect(dedicated.cli.stdout()).toMatch(/"concurrency":2,"scripts":\["pause","tick"\]/);
  const waiting = await c.createProcess(api, "wait");
  const ticks: number[] = [];
  for (let i = 0; i < 6; i++) ticks.push(await c.createProcess(api, "tick"));
  for (const id of ticks) expect((await c.waitForStatus(id, "COMPLETED")).worker_id).toBe(dedicated.workerId);
  // Every tick after the `wait` process ran: it was passed over, not merely not reached yet.
  expect((await c.row(waiting))?.status).toBe("SCHEDULED");
  const general = await c.startWorker();
  const running = await c.waitForStatus(waiting, "RUNNING");
  expect(running.worker_id).toBe(general.workerId);
  await c.api(api, "POST", `/api/system/processes/${waiting}/cancel`);
  await c.waitForStatus(waiting, "CANCELLED");
}, 240_000);

it("worker --scripts refuses a script that does not exist, and a bad --concurrency", async () => {
  const c = await cluster({ databaseUrl: await pg.server.database() });
  const bad = c.startWorker({ args: ["--scripts", "tick,nope"] });
  await expect(bad).rejects.toThrow(/--scripts: no script named 'nope'/);
  const zero = c.startWorker({ args: ["--concurrency", "0"] });
  await expect(zero).rejects.toThrow(/--concurrency must be a whole number from 1 to 1000, got '0'/);
}, 120_000);
