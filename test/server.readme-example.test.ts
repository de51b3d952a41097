/**
 * The README's REST example (the first `sh` block of its "REST API" section) run as written, with curl,
 * against a real server over the built-in scripts and the sandbox: only BASE and TOKEN come from the test.
 * If the README's requests stop working, this fails.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { tempDir } from "./fixtures/scripts/harness.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";
import { startRest } from "./fixtures/worldcat-scripts/rest.js";

let h: Harness | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await cleanup?.();
  cleanup = undefined;
});

/** The example block, and the script run from it (BASE= and TOKEN= lines left to the environment). */
async function readmeExample(): Promise<{ block: string; script: string }> {
  const readme = await readFile(join(import.meta.dirname, "..", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("\n## REST API\n"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README: no sh block in the REST API section");
  const script = block
    .split("\n")
    .filter((line) => !/^(BASE|TOKEN)=/.test(line))
    .join("\n");
  return { block, script };
}

function sh(script: string, cwd: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      "sh",
      ["-ec", script],
      { cwd, env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
}

it("the README's curl example starts a process with a file, polls it and downloads its report", async () => {
  const { block, script } = await readmeExample();
  // What the example shows, so a rewrite that drops a step fails here too.
  expect(block).toMatch(/^TOKEN=/m);
  expect(block).toContain("-F 'file=@numbers.txt'");
  expect(block).toContain("/api/system/processes/$ID");
  expect(block).toContain("-o report.csv");

  h = await startHarness({ sandbox: { seed: 1000 } });
  const rest = await startRest(h);
  h.defer(() => rest.close());
  const dir = await tempDir();
  cleanup = dir.cleanup;
  await sh(script, dir.dir, { BASE: rest.server.url, TOKEN: rest.users.admin.token });

  const started = JSON.parse(await readFile(join(dir.dir, "started.json"), "utf8"));
  expect(started.processStatus).toBe("SCHEDULED");
  const done = await h.engine.service.getProcess(started.processId);
  expect(done?.status).toBe("COMPLETED");
  const rows = reportRows(await readFile(join(dir.dir, "report.csv"), "utf8"));
  expect(rows.map((r) => r.requested)).toEqual(["100000002", "100000003"]);
}, 120_000);
