/**
 * Other OS processes on one SQLite data directory, seen at once rather than after a timeout. The lease is 10
 * minutes, the heartbeat 5 and the worker's poll 10: a test that only passed by waiting for any of them would
 * run into its own deadline instead.
 *
 * - A `serve` killed with kill -9 under a running process: the next `serve` on the directory has failed that
 *   process as lost (resumable) by the time it says it is listening, without waiting for the lease.
 * - A cancel asked by `nightshift cancel` (another OS process) stops the process `serve` runs promptly: the
 *   cancel's commit touches a wake file the serve watches. The process itself, created by this test's OS
 *   process while the serve was idle, reached it the same way.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { type Engine, openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { createRegistry } from "../src/engine/registry.js";
import { type CliChild, cli, startCli } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";
import { scripts as resumable } from "./fixtures/scripts/resumable-scripts.js";
import { scripts } from "./fixtures/scripts/test-scripts.js";

const MODULES = ["test-scripts.ts", "resumable-scripts.ts"].map((f) =>
  join(import.meta.dirname, "fixtures", "scripts", f),
);
const LEASE_MS = 10 * 60_000;

let dir: { dir: string; cleanup(): Promise<void> };
let args: string[];
let engine: Engine;
const children: CliChild[] = [];

beforeAll(async () => {
  dir = await tempDir();
  const dataDir = join(dir.dir, "data");
  const config = join(dir.dir, "config.yaml");
  await writeFile(
    config,
    `scriptModules:\n${MODULES.map((m) => `  - ${JSON.stringify(m)}\n`).join("")}` +
      "heartbeat: 5m\nlease: 10m\npoll: 10m\nport: 0\nconcurrency: 2\n",
  );
  args = ["--data-dir", dataDir, "--config", config];
  // The test process creates and reads processes (another OS process to the serves); it runs no dispatcher.
  engine = await openEngine({
    config: await loadConfig({ dataDir, env: {} }),
    scripts: createRegistry([...scripts, ...resumable]),
  });
});
afterAll(async () => {
  for (const c of children) c.child.kill("SIGKILL");
  await Promise.all(children.map((c) => c.exited));
  await engine.close();
  await dir.cleanup();
});

function serve(): CliChild {
  const child = startCli(["serve", ...args]);
  children.push(child);
  return child;
}

const create = (script: string) =>
  engine.service.createProcess({
    script,
    parameters: parseArgv(engine.scripts.require(script), []),
    startedBy: { source: "rest" },
  });

const running = (id: number, script: string) => new RegExp(`process ${id} \\(${script}\\) RUNNING`);

it("kill -9 of a serve mid-process: the next serve has it FAILED as lost when it is ready, not after the lease", async () => {
  // Queued before the serve starts: it claims it at start.
  const p = await create("resumable-block");
  const first = serve();
  await first.waitForOutput(running(p.id, "resumable-block"), 60_000);

  first.child.kill("SIGKILL");
  expect((await first.exited).signal).toBe("SIGKILL");
  const orphan = await engine.service.getProcess(p.id);
  expect(orphan?.status).toBe("RUNNING");
  // Its lease runs for minutes yet: only the dead pid on this host can tell.
  expect(Date.parse(orphan?.leaseExpiresAt ?? "")).toBeGreaterThan(Date.now() + LEASE_MS / 2);

  const second = serve();
  await second.waitForOutput(/listening on /, 60_000);
  const lost = await engine.service.getProcess(p.id);
  expect(lost?.status).toBe("FAILED");
  expect(lost?.exitMessage).toMatch(
    new RegExp(
      `^worker ${literal(orphan?.workerId ?? "")} lost; last heartbeat \\S+Z; marked FAILED at \\S+Z$`,
    ),
  );
  // Resumable: the serve says how to continue it.
  await second.waitForOutput(
    new RegExp(
      `process ${p.id}: worker \\S+ lost; marked FAILED; to continue it: nightshift resume ${p.id}\\b`,
    ),
  );
  second.child.kill("SIGTERM");
  expect((await second.exited).code).toBe(0);
}, 180_000);

it("nightshift cancel from another OS process stops what serve runs at once, not on its next poll", async () => {
  const server = serve();
  await server.waitForOutput(/listening on /, 60_000);
  // Created here, in another OS process: the serve hears of it through the wake file, not its 10-minute poll.
  const p = await create("block");
  await server.waitForOutput(running(p.id, "block"), 60_000);

  const asked = await cli(["cancel", String(p.id), ...args]);
  expect(asked.stderr).toBe("");
  expect(asked.code).toBe(0);
  expect(asked.stdout).toMatch(`process ${p.id}: cancel requested`);
  await server.waitForOutput(new RegExp(`process ${p.id} \\(block\\) CANCELLED`), 60_000);
  const ended = await engine.service.getProcess(p.id);
  expect(ended?.status).toBe("CANCELLED");
  server.child.kill("SIGTERM");
  expect((await server.exited).code).toBe(0);
}, 180_000);

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
