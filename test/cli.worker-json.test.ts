/** `worker --json` (and serve, which shares it): one JSON object per line, for log shippers and scripts. */
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { openEngine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { createRegistry } from "../src/engine/registry.js";
import { type CliChild, startCli, writeTestConfig } from "./fixtures/scripts/cli-harness.js";
import { tempDir, waitForStatus } from "./fixtures/scripts/harness.js";
import { scripts } from "./fixtures/scripts/test-scripts.js";

const children: CliChild[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of children) c.child.kill("SIGKILL");
  for (const c of cleanups.reverse()) await c();
});

it("worker --json prints JSON Lines: started, each process event, stopped", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const dataDir = join(dir.dir, "data");
  const config = await writeTestConfig(dir.dir);
  const engine = await openEngine({
    config: await loadConfig({ dataDir, env: {} }),
    scripts: createRegistry(scripts),
  });
  cleanups.push(() => engine.close());
  const worker = startCli(["worker", "--json", "--data-dir", dataDir, "--config", config]);
  children.push(worker);
  await worker.waitForOutput(/"event":"started"/);
  const p = await engine.service.createProcess({
    script: "echo",
    parameters: parseArgv(engine.scripts.require("echo"), ["-m", "hi"]),
    startedBy: { source: "rest" },
  });
  await waitForStatus(engine, p.id, "COMPLETED");
  await worker.waitForOutput(/"event":"process:finished"/);
  worker.child.kill("SIGTERM");
  const done = await worker.exited;
  expect(done.code).toBe(0);
  const lines = done.stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const l of lines) expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(lines[0]).toMatchObject({
    event: "started",
    dataDir,
    message: expect.stringMatching(/^nightshift worker: /),
  });
  expect(lines.find((l) => l.event === "process:finished")).toMatchObject({
    processId: p.id,
    script: "echo",
    status: "COMPLETED",
    message: `process ${p.id} (echo) COMPLETED`,
  });
  expect(lines.at(-1)).toMatchObject({ event: "stopped", message: "nightshift worker: stopped" });
});
