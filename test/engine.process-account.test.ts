import { afterEach, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { parseArgv } from "../src/engine/parameters.js";
import { tempDir, testEngine } from "./fixtures/scripts/harness.js";

let engine: Engine | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await engine?.close();
  await cleanup?.();
});

it("a process of a script run under a service account records the account", async () => {
  const dir = await tempDir();
  cleanup = dir.cleanup;
  engine = await testEngine(dir.dir, { accounts: { "weeding-2026": { key: "k", secret: "env:S" } } });
  const script = engine.scripts.require("worldcat-holding-codes");
  const later = new Date(Date.now() + 86_400_000); // queued, never run by this test
  const named = await engine.service.createProcess({
    script: script.name,
    parameters: parseArgv(script, ["--account", "weeding-2026"]),
    startedBy: { source: "cli" },
    runAt: later,
  });
  expect(named.account).toBe("weeding-2026");
  const byDefault = await engine.service.createProcess({
    script: script.name,
    parameters: parseArgv(script, []),
    startedBy: { source: "cli" },
    runAt: later,
  });
  expect(byDefault.account).toBe("sandbox");
  const marc = engine.scripts.require("process-cleaner");
  const none = await engine.service.createProcess({
    script: marc.name,
    parameters: parseArgv(marc, ["--dry-run"]),
    startedBy: { source: "cli" },
    runAt: later,
  });
  expect(none.account).toBeNull();
});

it("an --account that does not exist is refused before a process exists; the accounts listed only when asked", async () => {
  const dir = await tempDir();
  cleanup = dir.cleanup;
  engine = await testEngine(dir.dir, { accounts: { "weeding-2026": { key: "k", secret: "env:S" } } });
  const script = engine.scripts.require("worldcat-holding-codes");
  const start = (listAccounts: boolean) =>
    engine!.service.createProcess({
      script: script.name,
      parameters: parseArgv(script, ["--account", "weeding-2062"]),
      startedBy: { source: "rest" },
      listAccounts,
    });
  await expect(start(false)).rejects.toThrow(/--account: no service account named 'weeding-2062'$/);
  await expect(start(true)).rejects.toThrow(
    "--account: no service account named 'weeding-2062' (accounts: sandbox, weeding-2026)",
  );
  expect((await engine.service.listProcesses()).total).toBe(0);
});
