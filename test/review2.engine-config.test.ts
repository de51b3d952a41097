/**
 * Review 2 of the heartbeat and lease settings: a lease that would run out before its renewal makes any other
 * `nightshift` command fail a live worker's processes as lost, so it is refused or the heartbeat follows it.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { tempDir } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function load(yaml: string) {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const file = join(dir, "nightshift.yaml");
  await writeFile(file, yaml);
  return { file, config: () => loadConfig({ configPath: file, env: {} }) };
}

it("a lease given alone brings the heartbeat down to half of it", async () => {
  const { config } = await load("lease: 500ms\n");
  expect(await config()).toMatchObject({ heartbeatMs: 250, leaseMs: 500 });
  const long = await load("lease: 10m\n");
  expect(await long.config()).toMatchObject({ heartbeatMs: 30_000, leaseMs: 600_000 });
});

it.each([
  ["heartbeat: 2s\nlease: 1s\n", ":2: lease: must be longer than the heartbeat (2000 ms)"],
  ["heartbeat: 2s\nlease: 2s\n", ":2: lease: must be longer than the heartbeat (2000 ms)"],
  ["heartbeat: 0s\n", ":1: heartbeat: must be more than 0 and at most 24 days (got 0 ms)"],
  ["heartbeat: 30d\n", ":1: heartbeat: must be more than 0 and at most 24 days"],
])("refuses %j naming the file and key", async (yaml, message) => {
  const { file, config } = await load(yaml);
  await expect(config()).rejects.toThrow(`${file}${message}`);
});
