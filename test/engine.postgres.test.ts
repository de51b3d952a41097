import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { claimDue } from "../src/engine/claim.js";
import type { Clock } from "../src/engine/clock.js";
import type { Dispatcher } from "../src/engine/dispatcher.js";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { tempDir, testEngine, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";
import { singleProbe } from "./fixtures/scripts/test-scripts.js";

const pg = usePostgres();
const { cleanups } = pg;

/**
 * `n` engines on one fresh PostgreSQL database, sharing one data directory (logs and files). The lease
 * (2 x heartbeat) is long enough that a full parallel test run cannot starve a heartbeat past it.
 */
async function engines(n: number, options: Parameters<typeof testEngine>[2] = {}, heartbeatMs = 1000) {
  const url = await pg.server.database();
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const made: Engine[] = [];
  for (let i = 0; i < n; i++) {
    const engine = await testEngine(
      dir.dir,
      { databaseUrl: url, heartbeatMs, leaseMs: heartbeatMs * 2 },
      options,
    );
    cleanups.push(() => engine.close());
    expect(engine.store.dialect).toBe("postgres");
    made.push(engine);
  }
  return { engines: made, dir: dir.dir };
}

async function dispatch(engine: Engine, options: Parameters<Engine["createDispatcher"]>[0] = {}) {
  const dispatcher: Dispatcher = engine.createDispatcher({ pollMs: 5, ...options });
  cleanups.push(() => dispatcher.stop(50));
  await dispatcher.start();
  return dispatcher;
}

const create = (engine: Engine, script: string, argv: string[] = [], extra = {}) =>
  engine.service.createProcess({
    script,
    parameters: parseArgv(engine.scripts.require(script), argv),
    startedBy: { source: "cli" },
    ...extra,
  });

it("lifecycle on PostgreSQL: COMPLETED with log and result, FAILED, CANCELLED both ways, priority order", async () => {
  const {
    engines: [engine],
    dir,
  } = await engines(1);
  let dispatcher = await dispatch(engine);
  const echo = await create(engine, "echo", ["-m", "hi"]);
  const done = await waitForStatus(engine, echo.id, "COMPLETED");
  expect(done.result).toEqual({ message: "hi", passwordLength: 0 });
  expect(done.progress).toEqual({ done: 1, total: 1 });
  const [log] = await engine.service.listFiles(echo.id, "log");
  const text = await readFile(join(dir, log.path), "utf8");
  expect(text).toContain("INFO message: hi\n");
  expect(log.size).toBe(Buffer.byteLength(text));

  const failed = await waitForStatus(engine, (await create(engine, "fail")).id, "FAILED");
  expect(failed.exitMessage).toBe("boom");

  const later = await create(engine, "echo", ["-m", "later"], { runAt: new Date(Date.now() + 3_600_000) });
  expect((await engine.service.cancelProcess(later.id)).exitMessage).toBe("cancelled before it started");
  const { id } = await create(engine, "block");
  await waitForStatus(engine, id, "RUNNING");
  expect((await engine.service.cancelProcess(id)).cancelRequested).toBe(true);
  expect((await waitForStatus(engine, id, "CANCELLED")).exitMessage).toBe("cancelled while running");

  await dispatcher.stop(100);
  const order: number[] = [];
  engine.events.on("process:started", ({ process }) => void order.push(process.id));
  const a = await create(engine, "trivial", [], { priority: 5 });
  const b = await create(engine, "trivial", [], { priority: 0 });
  const c = await create(engine, "trivial", [], { priority: 5 });
  const d = await create(engine, "trivial", [], { priority: 0 });
  dispatcher = await dispatch(engine, { concurrency: 1 });
  await waitForStatus(engine, c.id, "COMPLETED");
  expect(order).toEqual([b.id, d.id, a.id, c.id]);
  const counts = await engine.service.listProcesses({ status: ["COMPLETED"] });
  expect(counts.total).toBe(5);
});

it("two workers on one database never claim the same process", async () => {
  const { engines: pair } = await engines(2);
  const started = new Map<number, string[]>();
  for (const [i, engine] of pair.entries()) {
    engine.events.on("process:started", ({ process }) => {
      started.set(process.id, [...(started.get(process.id) ?? []), `worker ${i}`]);
    });
  }
  await Promise.all(pair.map((e) => dispatch(e, { concurrency: 4 })));
  const ids = await Promise.all(Array.from({ length: 80 }, (_, i) => create(pair[i % 2], "trivial")));
  await waitFor("all processes to complete", async () => {
    const { total } = await pair[0].service.listProcesses({ status: ["COMPLETED"] });
    return total === ids.length;
  });
  expect([...started.keys()].sort((x, y) => x - y)).toEqual(ids.map((p) => p.id).sort((x, y) => x - y));
  expect([...started.values()].filter((w) => w.length > 1)).toEqual([]);
  // Both took part (each polls every 5 ms, so neither drains 80 alone).
  expect(new Set([...started.values()].flat()).size).toBe(2);
});

it("two processes of a singleton script never overlap, across two workers", async () => {
  const { engines: pair } = await engines(2);
  singleProbe.max = 0;
  singleProbe.runs = 0;
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) {
    for (const script of ["single", "trivial"]) ids.push((await create(pair[i % 2], script)).id);
  }
  await Promise.all(pair.map((e) => dispatch(e, { concurrency: 4 })));
  await waitFor("all processes to complete", async () => {
    const { total } = await pair[0].service.listProcesses({ status: ["COMPLETED"] });
    return total === ids.length;
  });
  expect(singleProbe.runs).toBe(6);
  // The probe sees the runs themselves. (Process times would not do: a claim stamps started_at before its
  // transaction begins, so under load it can precede the finished_at of the run it waited for.)
  expect(singleProbe.max).toBe(1);
});

it("a RUNNING process whose lease expired is FAILED with the worker-lost line; SCHEDULED ones then run", async () => {
  let now = Date.parse("2030-01-01T00:00:00.000Z");
  const clock: Clock = { now: () => now };
  const {
    engines: [engine],
  } = await engines(1, { clock }, 60_000);
  const lost = await create(engine, "block");
  const [claimed] = await claimDue({ ...engine, workerId: "ghost:1:abc" }, 1, 120_000);
  expect(claimed.id).toBe(lost.id);
  const queued = [await create(engine, "trivial"), await create(engine, "trivial")];
  now += 120_001;
  await dispatch(engine);
  const failed = await waitForStatus(engine, lost.id, "FAILED");
  const line =
    "worker ghost:1:abc lost; last heartbeat 2030-01-01T00:00:00.000Z; marked FAILED at 2030-01-01T00:02:00.001Z";
  expect(failed.exitMessage).toBe(line);
  expect((await engine.service.readLog(lost.id)).text).toBe(`2030-01-01T00:02:00.001Z ERROR ${line}\n`);
  for (const q of queued) await waitForStatus(engine, q.id, "COMPLETED");
});
