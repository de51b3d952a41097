/**
 * Review of the engine's races and edges: a process must never be left RUNNING, finished twice, re-run after
 * a cancel, or leak a secret through its exit message.
 */
import { getEventListeners } from "node:events";
import { afterEach, expect, it } from "vitest";
import { createDispatcher, dispatcherDefaults } from "../src/engine/dispatcher.js";
import type { Engine } from "../src/engine/engine.js";
import { followLog } from "../src/engine/log-reader.js";
import { parseArgv } from "../src/engine/parameters.js";
import { createRegistry } from "../src/engine/registry.js";
import { defineScript } from "../src/engine/script.js";
import type { Store } from "../src/store/store.js";
import { tempDir, testEngine, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Opened by the test: scripts that wait on it stop only when the test says so. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return { open, opened };
}

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });

let stopGate = gate();
const started = new Set<number>();

const scripts = createRegistry([
  defineScript({
    name: "bigint-summary",
    description: "Returns a summary JSON cannot hold",
    parameters: [],
    async run() {
      return { summary: { count: 1n } };
    },
  }),
  defineScript({
    name: "leaky",
    description: "Throws an error that quotes its secret",
    parameters: [
      { name: "-p", nameLong: "--password", type: "string", secret: true, description: "a secret" },
    ],
    async run(ctx) {
      throw new Error(`login refused for password ${ctx.params.password}`);
    },
  }),
  defineScript({
    name: "month-long",
    description: "Has a 30-day timeout (more than a Node timer holds); works 50 ms",
    parameters: [],
    timeoutMs: 30 * 86_400_000,
    async run() {
      await new Promise((r) => setTimeout(r, 50));
    },
  }),
  defineScript({
    name: "slow-stop",
    description: "On abort, waits for the test's gate before it stops",
    parameters: [],
    async run(ctx) {
      started.add(ctx.processId);
      await aborted(ctx.signal);
      await stopGate.opened;
      ctx.signal.throwIfAborted();
    },
  }),
]);

async function setup(options: Parameters<typeof testEngine>[2] = {}) {
  started.clear();
  const dir = await tempDir();
  const engine = await testEngine(dir.dir, {}, { scripts, ...options });
  cleanups.push(dir.cleanup, () => engine.close());
  return { engine, dir: dir.dir };
}

const create = (engine: Engine, script: string, argv: string[] = []) =>
  engine.service.createProcess({
    script,
    parameters: parseArgv(engine.scripts.require(script), argv),
    startedBy: { source: "cli" },
  });

it("a summary JSON cannot hold does not leave the process RUNNING", async () => {
  const { engine } = await setup();
  await engine.createDispatcher().start();
  const { id } = await create(engine, "bigint-summary");
  const done = await waitForStatus(engine, id, "COMPLETED", "FAILED");
  expect(done.status).toBe("COMPLETED");
  expect(done.result).toBeNull();
  expect((await engine.service.readLog(id)).text).toMatch(/WARN result summary not recorded: .*BigInt/);
});

it("a host's services callback that throws ends the process FAILED instead of leaving it RUNNING", async () => {
  const { engine } = await setup({
    services: () => {
      throw new Error("no such account");
    },
  });
  await engine.createDispatcher().start();
  const { id } = await create(engine, "bigint-summary");
  const done = await waitForStatus(engine, id, "FAILED", "COMPLETED");
  expect(done.status).toBe("FAILED");
  expect(done.exitMessage).toContain("no such account");
});

it("a secret value quoted by the script's error is masked in the exit message", async () => {
  const { engine } = await setup();
  await engine.createDispatcher().start();
  const { id } = await create(engine, "leaky", ["--password", "hunter2-secret"]);
  const done = await waitForStatus(engine, id, "FAILED");
  expect(done.exitMessage).toBe("login refused for password ********");
  expect((await engine.service.readLog(id)).text).not.toContain("hunter2");
});

it("a cancel that arrives while a shutdown waits for the script is not lost by the re-queue", async () => {
  stopGate = gate();
  const { engine } = await setup();
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  const { id } = await create(engine, "slow-stop");
  await waitFor("script started", () => started.has(id));
  const stopping = dispatcher.stop(5_000);
  const cancelled = await engine.service.cancelProcess(id);
  expect(cancelled.status).toBe("RUNNING");
  stopGate.open();
  await stopping;
  const after = await engine.service.getProcess(id);
  expect(after?.status).toBe("CANCELLED");
});

it("engine.close() during a dispatcher's stop waits for it (the re-queue still reaches the store)", async () => {
  stopGate = gate();
  started.clear();
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const engine = await testEngine(dir.dir, {}, { scripts });
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  const { id } = await create(engine, "slow-stop");
  await waitFor("script started", () => started.has(id));
  void dispatcher.stop(5_000);
  const closing = engine.close();
  stopGate.open();
  await closing;
  const again = await testEngine(dir.dir, {}, { scripts });
  cleanups.push(() => again.close());
  expect((await again.service.getProcess(id))?.status).toBe("SCHEDULED");
});

/**
 * A heartbeat whose answer arrives late (PostgreSQL: another connection, network latency) must not abort a
 * process claimed meanwhile: the heartbeat's UPDATE ran before the claim committed, so it could not renew it.
 */
it("a process claimed while a heartbeat is in flight is not aborted as lease-lost", async () => {
  stopGate = gate();
  const { engine } = await setup();
  let hold = false;
  const held = gate();
  const release = gate();
  const slowStore: Store = {
    ...engine.store,
    async write(fn) {
      const capture = hold;
      hold = false;
      const result = await engine.store.write(fn);
      if (capture) {
        held.open();
        await release.opened;
      }
      return result;
    },
  };
  const deps = {
    store: slowStore,
    events: engine.events,
    scripts: engine.scripts,
    vault: { put: () => undefined, get: () => undefined, delete: () => undefined },
    dataDir: engine.config.dataDir,
    files: engine.files,
    workerId: engine.workerId,
    clock: engine.clock,
  };
  // No polling: the only writes are heartbeats (every 50 ms) until the test creates a process.
  const dispatcher = createDispatcher(deps, dispatcherDefaults({ heartbeatMs: 50, pollMs: 60_000 }));
  await dispatcher.start();
  cleanups.push(() => dispatcher.stop(50));
  hold = true;
  await held.opened; // a heartbeat renewed the (no) leases; its answer is held back
  const { id } = await create(engine, "slow-stop");
  await waitFor("claimed and started", () => started.has(id));
  release.open();
  await waitFor("a later heartbeat", async () => {
    const p = await engine.service.getProcess(id);
    return p?.heartbeatAt && p.heartbeatAt > (p.startedAt ?? "") ? p : undefined;
  });
  await engine.service.cancelProcess(id);
  stopGate.open();
  const done = await waitForStatus(engine, id, "CANCELLED");
  expect(done.status).toBe("CANCELLED");
  expect((await engine.service.readLog(id)).text).not.toContain("lost its lease");
});

it("following a running process's log does not pile up abort listeners on the caller's signal", async () => {
  stopGate = gate();
  const { engine } = await setup();
  await engine.createDispatcher().start();
  const { id } = await create(engine, "slow-stop");
  await waitFor("script started", () => started.has(id));
  let reads = 0;
  const counting: Store = {
    ...engine.store,
    get db() {
      reads++;
      return engine.store.db;
    },
  };
  const controller = new AbortController();
  const lines = followLog(counting, engine.files, engine.events, id, {
    pollMs: 1,
    signal: controller.signal,
  });
  const reading = (async () => {
    for await (const _ of lines);
  })();
  await waitFor("30 polls", () => reads >= 30);
  expect(getEventListeners(controller.signal, "abort").length).toBeLessThanOrEqual(1);
  controller.abort();
  await reading;
  await engine.service.cancelProcess(id);
  stopGate.open();
  await waitForStatus(engine, id, "CANCELLED");
});

it("a timeout longer than a Node timer can hold (30 days) does not fire at once", async () => {
  const { engine } = await setup();
  await engine.createDispatcher().start();
  const { id } = await create(engine, "month-long");
  const done = await waitForStatus(engine, id, "COMPLETED", "FAILED");
  expect(done.exitMessage).toBeNull();
  expect(done.status).toBe("COMPLETED");
});
