import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { accountReports } from "../src/doctor/accounts.js";
import type { Engine } from "../src/engine/engine.js";
import { notifyEngine, startTally } from "./fixtures/notify/setup.js";
import { startCli } from "./fixtures/scripts/cli-harness.js";
import { tempDir, waitForStatus } from "./fixtures/scripts/harness.js";

const SECRET = "acct-secret-value-9f8e7d";
let dir: { dir: string; cleanup(): Promise<void> };
let engine: Engine;

beforeAll(async () => {
  dir = await tempDir();
  engine = await notifyEngine(
    dir.dir,
    `accounts:
  weeding-2026: { key: env:WK, secret: env:WS, registryId: "128807", symbol: OCPSB, scopes: [WorldCatMetadataAPI] }
  test-sb: { key: env:WK, secret: env:WS, sandboxUrl: "http://127.0.0.1:9" }
scripts:
  tally: { account: weeding-2026 }
schedules:
  weekly: { script: tally, cron: "0 3 * * 1", account: weeding-2026 }
`,
  );
});
afterAll(async () => {
  await engine.close();
  await dir.cleanup();
});

it("a script bound to an account runs under it by default; accounts show use, last use and last error, no secret", async () => {
  const dispatcher = engine.createDispatcher();
  await dispatcher.start();
  const { id } = await startTally(engine, ["--crash"]);
  const failed = await waitForStatus(engine, id, "FAILED");
  await dispatcher.stop();
  expect(failed.account).toBe("weeding-2026");

  const list = await accountReports(engine.config, engine.store.db);
  const weeding = list.find((a) => a.name === "weeding-2026");
  expect(weeding).toMatchObject({
    auth: "token",
    institution: { registryId: "128807", symbol: "OCPSB" },
    scopes: ["WorldCatMetadataAPI"],
    environment: "PRODUCTION",
    usedBy: { scripts: ["tally"], schedules: ["weekly"], triggers: [] },
    lastUsedAt: failed.startedAt,
    lastError: { processId: id, at: failed.finishedAt, message: "gave up after 0 failures" },
  });
  expect(list.find((a) => a.name === "test-sb")).toMatchObject({
    environment: "SANDBOX",
    lastUsedAt: null,
    lastError: null,
  });
  expect(list.find((a) => a.name === "sandbox")).toMatchObject({ environment: "SANDBOX" });

  const cli = await startCli(
    ["accounts", "--json", "--config", join(dir.dir, "config.yaml"), "--data-dir", join(dir.dir, "data")],
    {
      WK: "key-1",
      WS: SECRET,
    },
  ).exited;
  expect(cli.code).toBe(0);
  expect(JSON.parse(cli.stdout).accounts.map((a: { name: string }) => a.name)).toEqual([
    "weeding-2026",
    "test-sb",
    "sandbox",
  ]);
  expect(cli.stdout).not.toContain(SECRET);
  expect(cli.stdout).not.toContain("env:WS");
}, 60_000);
