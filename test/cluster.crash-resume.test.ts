/**
 * kill -9 of the worker in the middle of a batch: the lease expires, another worker (another OS process,
 * its own data directory) marks the process FAILED as lost, a resume asked through the other server runs on
 * the surviving worker from the checkpoint, and the sandbox ends exactly as one clean run would leave it.
 */
import { expect, it } from "vitest";
import { startCluster } from "./fixtures/cluster/cluster.js";
import { usePostgres } from "./fixtures/postgres/server.js";

const pg = usePostgres();
const NUMBERS = Array.from({ length: 30 }, (_, i) => 100000001 + 2 * i); // odd: not held at the start

it("kill -9 of the worker mid-batch; after the lease another worker resumes it; exact final sandbox state", async () => {
  const c = await startCluster({
    databaseUrl: await pg.server.database(),
    lease: "3s",
    workers: 2,
    concurrency: 1,
    sandbox: { seed: 1000, latencyMs: 60 },
  });
  pg.cleanups.push(c.close);
  const a = await c.startServer({ args: ["--concurrency", "0"] });
  const b = await c.startServer({ args: ["--concurrency", "0"] });
  const id = await c.createProcess(a, "hold-numbers", { "--numbers": NUMBERS.join(",") });
  const done = (row?: { checkpoint: string | null }) =>
    row?.checkpoint ? (JSON.parse(row.checkpoint) as { next: number }).next : 0;
  const running = await c.until("5 items done", async () => {
    const row = await c.row(id);
    return row?.status === "RUNNING" && done(row) >= 5 ? row : undefined;
  });
  const victim = c.nodeOf(running.worker_id);
  const survivor = c.workers.find((w) => w !== victim);
  expect(victim?.kind).toBe("worker");
  await victim?.kill9();
  const lost = await c.waitForStatus(id, ["FAILED", "COMPLETED"], 60_000);
  expect(lost.status).toBe("FAILED");
  expect(lost.exit_message).toMatch(`worker ${victim?.workerId} lost`);
  const stoppedAt = done(lost);
  expect(stoppedAt).toBeLessThan(NUMBERS.length);

  const again = await c.api<{ id: number; resumedFrom: number }>(
    b,
    "POST",
    `/api/system/processes/${id}/rerun?resume=true`,
  );
  expect(again.status).toBe(202);
  expect(again.body.resumedFrom).toBe(id);
  const resumed = await c.waitForStatus(again.body.id, ["COMPLETED", "FAILED"], 60_000);
  expect(resumed.status, resumed.exit_message ?? "").toBe("COMPLETED");
  expect(resumed.worker_id).toBe(survivor?.workerId);
  expect(JSON.parse(resumed.result ?? "{}").summary ?? JSON.parse(resumed.result ?? "{}")).toMatchObject({
    resumedAt: stoppedAt,
    set: NUMBERS.length - stoppedAt,
  });
  // Exactly the input is held, nothing else was touched.
  const state = c.sandbox.state.snapshot() as {
    holdings: Record<string, { set: number[]; unset: number[] }>;
  };
  expect(Object.keys(state.holdings)).toEqual([c.symbol]);
  expect([...state.holdings[c.symbol].set].sort((x, y) => x - y)).toEqual(NUMBERS);
  expect(state.holdings[c.symbol].unset).toEqual([]);
}, 240_000);
