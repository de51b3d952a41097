/**
 * Engine benchmark on a fresh SQLite data directory:
 *  - latency: time from createProcess() to the process RUNNING (p50/p99), one trivial process at a time
 *    with a started dispatcher (targets: p50 < 20 ms);
 *  - drain: 1,000 trivial processes queued first, then a dispatcher (default concurrency 4) started;
 *    processes per second until all are COMPLETED (target >= 300/s).
 * Prints a table and one JSON line.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { createRegistry } from "../src/engine/registry.js";
import { defineScript } from "../src/engine/script.js";

const trivial = defineScript({
  name: "trivial",
  description: "does nothing",
  parameters: [],
  async run() {},
});
const LATENCY_RUNS = 300;
const DRAIN = 1000;

async function engineOn(dataDir: string) {
  const config = await loadConfig({ dataDir, env: {} });
  return openEngine({ config, scripts: createRegistry([trivial]) });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(dataDir: string) {
  const engine = await engineOn(dataDir);
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  const parameters = parseArgv(trivial, []);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_RUNS; i++) {
    const t0 = performance.now();
    let id = -1;
    let startedAt = 0;
    const started = new Promise<void>((resolve) => {
      const off = engine.events.on("process:started", ({ process }) => {
        if (id !== -1 && process.id !== id) return;
        startedAt = performance.now();
        off();
        resolve();
      });
    });
    id = (await engine.service.createProcess({ script: "trivial", parameters, startedBy: { source: "cli" } }))
      .id;
    await started;
    samples.push(startedAt - t0);
  }
  await dispatcher.stop();
  await engine.close();
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1) ?? 0 };
}

async function drain(dataDir: string) {
  const engine = await engineOn(dataDir);
  const parameters = parseArgv(trivial, []);
  for (let i = 0; i < DRAIN; i++) {
    await engine.service.createProcess({ script: "trivial", parameters, startedBy: { source: "cli" } });
  }
  let finished = 0;
  const done = new Promise<void>((resolve) =>
    engine.events.on("process:finished", () => {
      if (++finished === DRAIN) resolve();
    }),
  );
  const dispatcher = engine.createDispatcher();
  const t0 = performance.now();
  await dispatcher.start();
  await done;
  const seconds = (performance.now() - t0) / 1000;
  await dispatcher.stop();
  const { total } = await engine.service.listProcesses({ status: ["COMPLETED"] });
  await engine.close();
  return { processes: total, seconds, perSecond: total / seconds };
}

const root = await mkdtemp(join(tmpdir(), "nightshift-bench-"));
try {
  const l = await latency(join(root, "latency"));
  const d = await drain(join(root, "drain"));
  const f = (n: number) => n.toFixed(1);
  process.stdout.write(
    [
      "measure                          value      target",
      `created -> RUNNING p50 (ms)      ${f(l.p50).padEnd(10)} < 20`,
      `created -> RUNNING p99 (ms)      ${f(l.p99).padEnd(10)}`,
      `drain ${DRAIN} trivial (per s)   ${f(d.perSecond).padEnd(10)} >= 300`,
      `drain ${DRAIN} trivial (s)       ${d.seconds.toFixed(2)}`,
      "",
    ].join("\n"),
  );
  process.stdout.write(`${JSON.stringify({ bench: "engine", latencyMs: l, drain: d })}\n`);
} finally {
  await rm(root, { recursive: true, force: true });
}
