/**
 * A cancel asked through one server reaches the worker that runs the process, in another OS process with its
 * own data directory, through PostgreSQL's LISTEN/NOTIFY. The nodes poll only every ten minutes (`poll`, the
 * fallback for a missed notification) and their heartbeat is a minute: nothing but a notification can start
 * the process, stop it, or start the next one within this test's deadlines, so the test fails when the
 * notification path is broken. (How fast a cancel arrives is measured in bench/cluster.ts, not asserted.)
 */
import { expect, it } from "vitest";
import { startCluster } from "./fixtures/cluster/cluster.js";
import { usePostgres } from "./fixtures/postgres/server.js";

const pg = usePostgres();

it("a cancel through server B stops the run on the worker; the process ends CANCELLED", async () => {
  const c = await startCluster({
    databaseUrl: await pg.server.database(),
    heartbeat: "60s",
    lease: "120s",
    workers: 1,
    config: { poll: "10m" },
  });
  pg.cleanups.push(c.close);
  const a = await c.startServer({ args: ["--concurrency", "0"] });
  const b = await c.startServer({ args: ["--concurrency", "0"] });
  const [worker] = c.workers;
  const id = await c.createProcess(a, "wait");
  expect((await c.waitForStatus(id, "RUNNING")).worker_id).toBe(worker.workerId);
  const asked = await c.api<{ processStatus: string }>(b, "POST", `/api/system/processes/${id}/cancel`);
  expect(asked.status).toBe(200);
  expect(asked.body.processStatus).toBe("RUNNING"); // asked; the worker ends it
  const ended = await c.waitForStatus(id, ["CANCELLED", "FAILED", "COMPLETED"], 20_000);
  expect(ended.status).toBe("CANCELLED");
  await worker.cli.waitForOutput(new RegExp(`"processId":${id},"script":"wait","status":"CANCELLED"`));
  // Through server A too, the process is CANCELLED, and the worker is still running and takes new work.
  const seen = await c.api<{ processStatus: string }>(a, "GET", `/api/system/processes/${id}`);
  expect(seen.body.processStatus).toBe("CANCELLED");
  const next = await c.createProcess(b, "tick");
  expect((await c.waitForStatus(next, "COMPLETED")).worker_id).toBe(worker.workerId);
}, 180_000);
