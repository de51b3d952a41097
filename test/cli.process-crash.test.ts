import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { type Engine, openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { createRegistry } from "../src/engine/registry.js";
import { type CliChild, startCli, writeTestConfig } from "./fixtures/scripts/cli-harness.js";
import { tempDir, waitFor, waitForStatus } from "./fixtures/scripts/harness.js";
import { scripts } from "./fixtures/scripts/test-scripts.js";

let dir: { dir: string; cleanup(): Promise<void> };
let args: string[];
let engine: Engine;
const children: CliChild[] = [];

beforeAll(async () => {
  dir = await tempDir();
  const dataDir = join(dir.dir, "data");
  const config = await writeTestConfig(dir.dir, "lease: 500ms\nconcurrency: 1\n");
  args = ["--data-dir", dataDir, "--config", config];
  // The test process only creates and reads processes; it runs no dispatcher.
  engine = await openEngine({
    config: await loadConfig({ dataDir, env: {} }),
    scripts: createRegistry(scripts),
  });
});
afterAll(async () => {
  for (const c of children) c.child.kill("SIGKILL");
  await engine.close();
  await dir.cleanup();
});

const create = (script: string) =>
  engine.service.createProcess({
    script,
    parameters: parseArgv(engine.scripts.require(script), []),
    startedBy: { source: "rest" },
  });

it("kill -9 of a serve mid-process: after restart it is FAILED with the worker-lost line, queued ones run", async () => {
  const serve = startCli(["serve", ...args]);
  children.push(serve);
  await serve.waitForOutput(/nightshift serve: worker (\S+),/);
  const blocked = await create("block");
  const running = await waitForStatus(engine, blocked.id, "RUNNING");
  // RUNNING is committed just before the worker writes the log's first line: under load a kill can land
  // in between, so wait for the script's own line.
  await waitFor("the block script's first log line", async () =>
    (await engine.service.readLog(blocked.id)).text.includes("blocking until aborted"),
  );
  const queued = [await create("trivial"), await create("trivial")];

  serve.child.kill("SIGKILL");
  const killed = await serve.exited;
  expect(killed.signal).toBe("SIGKILL");
  expect((await engine.service.getProcess(blocked.id))?.status).toBe("RUNNING");
  for (const q of queued) expect((await engine.service.getProcess(q.id))?.status).toBe("SCHEDULED");

  const again = startCli(["serve", ...args]);
  children.push(again);
  // Recovery runs before the serve says it listens: no waiting for the lease or a poll.
  await again.waitForOutput(/listening on /, 60_000);
  const failed = await engine.service.getProcess(blocked.id);
  expect(failed?.status).toBe("FAILED");
  const line = new RegExp(
    `^worker ${running.workerId?.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} lost; last heartbeat \\S+Z; marked FAILED at \\S+Z$`,
  );
  expect(failed?.exitMessage).toMatch(line);
  const log = (await engine.service.readLog(blocked.id)).text.trimEnd().split("\n");
  expect(log[0]).toMatch(/INFO blocking until aborted|INFO process \d+ \(block\) started/);
  expect(log.at(-1)).toMatch(new RegExp(`^\\S+Z ERROR ${line.source.slice(1)}`));
  for (const q of queued) await waitForStatus(engine, q.id, "COMPLETED");
  await again.waitForOutput(new RegExp(`process ${blocked.id}: worker \\S+ lost; marked FAILED`));

  // Graceful stop: a running process is re-queued, and says so in its log.
  const second = await create("block");
  await waitForStatus(engine, second.id, "RUNNING");
  again.child.kill("SIGTERM");
  const stopped = await again.exited;
  expect(stopped.stderr).toBe("");
  expect(stopped.code).toBe(0);
  expect(stopped.stdout).toContain("nightshift serve: stopped");
  const requeued = await engine.service.getProcess(second.id);
  expect(requeued?.status).toBe("SCHEDULED");
  expect((await engine.service.readLog(second.id)).text).toContain("re-queued as SCHEDULED");
});
