/**
 * A real WorldCat batch resumed on another machine (issue 14, "resume after a crash anywhere"): two `serve`
 * and two `worker` processes, each with its own empty data directory, `fileStore: postgres`. A
 * worldcat-holdings set of 30 uploaded numbers started through server A is killed (kill -9 of its worker)
 * after a checkpoint counted some rows; after the lease it is FAILED as lost, and its partial report (kept with
 * its checkpoints in PostgreSQL) is downloadable through server B. Resumed through server B, it runs on the
 * other worker, which has never seen the first run's files: the report has every item once, in input order,
 * the first run's rows copied; every number is held, and no number got a holdings request twice.
 */
import { rm } from "node:fs/promises";
import { expect, it } from "vitest";
import { type ClusterNode, startCluster } from "./fixtures/cluster/cluster.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

const pg = usePostgres();
const NUMBERS = Array.from({ length: 30 }, (_, i) => 100000001 + 2 * i); // odd: not held at the start

interface FileList {
  _embedded: { bitstreams: { id: number; sizeBytes: number | null }[] };
}

it("kill -9 of a worldcat-holdings batch; resumed through another server on another worker, its report read from PostgreSQL", async () => {
  const c = await startCluster({
    databaseUrl: await pg.server.database(),
    lease: "3s",
    workers: 2,
    // 400 ms a request, one at a time: the batch takes 12 s or more, its first periodic save (5 s) in the middle.
    sandbox: { seed: 1000, latencyMs: 400 },
    config: { fileStore: "postgres" },
  });
  pg.cleanups.push(c.close);
  const a = await c.startServer({ args: ["--concurrency", "0"] });
  const b = await c.startServer({ args: ["--concurrency", "0"] });

  const form = new FormData();
  form.append(
    "properties",
    JSON.stringify([
      { name: "--action", value: "set" },
      { name: "--input", value: "numbers.txt" },
      { name: "--concurrency", value: "1" },
      // The status is read before each set: a number the dead worker set is not asked for again.
      { name: "--only-changes", value: "true" },
    ]),
  );
  form.append("file", new Blob([`${NUMBERS.join("\n")}\n`]), "numbers.txt");
  const started = await fetch(`${a.url}/api/system/scripts/worldcat-holdings/processes`, {
    method: "POST",
    headers: { authorization: `Bearer ${c.token}` },
    body: form,
  });
  expect(started.status).toBe(202);
  const id = ((await started.json()) as { processId: number }).processId;

  const reported = (row?: { checkpoint: string | null }) =>
    row?.checkpoint ? (JSON.parse(row.checkpoint) as { nextPosition: number }).nextPosition - 1 : 0;
  const running = await c.until(
    "a checkpoint counting 3 rows",
    async () => {
      const row = await c.row(id);
      return row?.status === "RUNNING" && reported(row) >= 3 ? row : undefined;
    },
    60_000,
  );
  const victim = c.nodeOf(running.worker_id);
  const survivor = c.workers.find((w) => w !== victim);
  expect(victim?.kind).toBe("worker");
  await victim?.kill9();
  // Its machine is gone, and its disk with it (here all nodes share one file system: a path into the dead
  // worker's data directory would still be readable otherwise).
  await rm(victim?.dataDir ?? "", { recursive: true, force: true });
  const lost = await c.waitForStatus(id, ["FAILED", "COMPLETED"], 60_000);
  expect(lost.status).toBe("FAILED");
  expect(lost.exit_message).toMatch(`worker ${victim?.workerId} lost`);
  const saved = reported(lost);
  expect(saved).toBeLessThan(NUMBERS.length);

  // The dead worker's partial report, through the other server: at least the rows its last checkpoint counts.
  const partial = reportRows(await reportOf(c.token, b, id));
  expect(partial.length).toBeGreaterThanOrEqual(saved);
  expect(partial.length).toBeLessThan(NUMBERS.length);
  expect(partial.map((r) => [r.position, r.inputId, r.outcome])).toEqual(
    NUMBERS.slice(0, partial.length).map((n, i) => [i + 1, String(n), "ok"]),
  );

  const again = await c.api<{ id: number; resumedFrom: number }>(
    b,
    "POST",
    `/api/system/processes/${id}/rerun?resume=true`,
  );
  expect(again.status).toBe(202);
  expect(again.body.resumedFrom).toBe(id);
  const resumed = await c.waitForStatus(again.body.id, ["COMPLETED", "FAILED"], 120_000);
  expect(resumed.status, resumed.exit_message ?? "").toBe("COMPLETED");
  expect(resumed.worker_id).toBe(survivor?.workerId);
  // The result is the batch's summary (summary.json).
  const summary = JSON.parse(resumed.result ?? "{}") as Record<string, unknown>;
  expect(summary).toMatchObject({ total: NUMBERS.length, completed: true, resumedFrom: id });
  expect(summary.resumedItems).toBe(partial.length);

  // One row per input item, in order; the first run's rows copied as they were.
  const rows = reportRows(await reportOf(c.token, b, again.body.id));
  expect(rows.map((r) => [r.position, r.inputId])).toEqual(NUMBERS.map((n, i) => [i + 1, String(n)]));
  expect(rows.slice(0, partial.length)).toEqual(partial);
  // Set by this run, or found set by the dead worker after its last save (and not set again).
  for (const r of rows.slice(partial.length)) {
    expect(r.action).toBe("set");
    if (r.outcome !== "ok") expect([r.outcome, r.message]).toEqual(["skipped", "holding already set"]);
  }

  // Exactly the input is held, nothing else was touched, and no number got a holdings request twice.
  const state = c.sandbox.state.snapshot() as {
    holdings: Record<string, { set: number[]; unset: number[] }>;
  };
  expect(Object.keys(state.holdings)).toEqual([c.symbol]);
  expect([...state.holdings[c.symbol].set].sort((x, y) => x - y)).toEqual(NUMBERS);
  expect(state.holdings[c.symbol].unset).toEqual([]);
  expect([...c.sandbox.state.holdingRequests.keys()].sort()).toEqual(
    NUMBERS.map((n) => `${c.symbol} set ${n}`).sort(),
  );
  expect([...c.sandbox.state.holdingRequests].filter(([, n]) => n > 1)).toEqual([]);
}, 300_000);

/** The report of process `id`, listed and downloaded through `node`. */
async function reportOf(token: string, node: ClusterNode, id: number): Promise<string> {
  const headers = { authorization: `Bearer ${token}` };
  const listed = await fetch(`${node.url}/api/system/processes/${id}/files/report`, { headers });
  expect(listed.status).toBe(200);
  const files = ((await listed.json()) as FileList)._embedded.bitstreams;
  expect(files).toHaveLength(1);
  const res = await fetch(`${node.url}/api/system/processes/${id}/files/report/${files[0].id}/content`, {
    headers,
  });
  expect(res.status).toBe(200);
  // Not res.text(): it drops the byte order mark the report starts with.
  return Buffer.from(await res.arrayBuffer()).toString("utf8");
}
