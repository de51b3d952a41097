import { afterEach, expect, it } from "vitest";
import { claimDue } from "../src/engine/claim.js";
import type { Clock } from "../src/engine/clock.js";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { tempDir, testEngine, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const create = (engine: Engine, script: string) =>
  engine.service.createProcess({
    script,
    parameters: parseArgv(engine.scripts.require(script), []),
    startedBy: { source: "schedule" },
  });

it("a RUNNING process whose lease expired is FAILED with the worker-lost line; SCHEDULED ones then run", async () => {
  const dir = await tempDir();
  let now = Date.parse("2030-01-01T00:00:00.000Z");
  const clock: Clock = { now: () => now };
  const engine = await testEngine(dir.dir, { heartbeatMs: 60_000, leaseMs: 120_000 }, { clock });
  cleanups.push(dir.cleanup, () => engine.close());
  const lost = await create(engine, "block");
  // A worker that claimed it and then died: nothing renews its lease.
  const [claimed] = await claimDue({ ...engine, workerId: "ghost:1:abc" }, 1, 120_000);
  expect(claimed.id).toBe(lost.id);
  const queued = [await create(engine, "trivial"), await create(engine, "trivial")];
  const expired: unknown[] = [];
  engine.events.on("lease:expired", (e) => void expired.push(e));

  now += 120_001;
  const dispatcher = engine.createDispatcher();
  cleanups.push(() => dispatcher.stop(50));
  await dispatcher.start();

  const failed = await waitForStatus(engine, lost.id, "FAILED");
  expect(failed.exitMessage).toBe(
    "worker ghost:1:abc lost; last heartbeat 2030-01-01T00:00:00.000Z; marked FAILED at 2030-01-01T00:02:00.001Z",
  );
  expect((await engine.service.readLog(lost.id)).text).toBe(
    "2030-01-01T00:02:00.001Z ERROR worker ghost:1:abc lost; last heartbeat 2030-01-01T00:00:00.000Z; marked FAILED at 2030-01-01T00:02:00.001Z\n",
  );
  expect((await engine.service.listFiles(lost.id, "log")).length).toBe(1);
  expect(expired).toEqual([
    { processId: lost.id, workerId: "ghost:1:abc", lastHeartbeat: "2030-01-01T00:00:00.000Z" },
  ]);
  for (const q of queued) await waitForStatus(engine, q.id, "COMPLETED");
});

it("heartbeats keep a long process's lease alive while another worker keeps recovering", async () => {
  const dir = await tempDir();
  const a = await testEngine(dir.dir, { heartbeatMs: 40, leaseMs: 120 });
  const b = await testEngine(dir.dir, { heartbeatMs: 40, leaseMs: 120 });
  const da = a.createDispatcher();
  const db = b.createDispatcher({ onlyIds: [] });
  cleanups.push(
    dir.cleanup,
    () => a.close(),
    () => b.close(),
    () => da.stop(50),
    () => db.stop(50),
  );
  await da.start();
  await db.start();
  const { id } = await create(a, "block");
  const running = await waitForStatus(a, id, "RUNNING");
  // Outlive several leases, watching the heartbeat move.
  await waitFor("five lease lengths with fresh heartbeats", async () => {
    const p = await a.service.getProcess(id);
    expect(p?.status).toBe("RUNNING");
    return Date.parse(p?.heartbeatAt ?? "") - Date.parse(running.startedAt ?? "") > 600 ? p : undefined;
  });
  await a.service.cancelProcess(id);
  await waitForStatus(a, id, "CANCELLED");
});
