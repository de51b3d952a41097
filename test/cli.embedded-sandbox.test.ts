import { existsSync } from "node:fs";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { CORPUS } from "./fixtures/paths.js";
import { type CliChild, cli, startCli } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";

let serve: CliChild | undefined;
let cleanup: (() => Promise<void>) | undefined;

afterEach(async () => {
  serve?.child.kill("SIGKILL");
  serve = undefined;
  await cleanup?.();
});

it("on embedded defaults the `sandbox` account works with no config: worldcat check", async () => {
  const dir = await tempDir();
  cleanup = dir.cleanup;
  const result = await cli([
    "worldcat",
    "check",
    "--account",
    "sandbox",
    "--data-dir",
    join(dir.dir, "data"),
  ]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("Account: sandbox [SANDBOX]");
  expect(result.stdout).toMatch(/set holdings\s+yes/);
});

it("serve publishes its built-in sandbox for commands beside it, and removes it when it stops", async () => {
  const dir = await tempDir();
  cleanup = dir.cleanup;
  const dataDir = join(dir.dir, "data");
  // A file left by an earlier, crashed serve, readable by everyone: replaced, not overwritten in place.
  await mkdir(dataDir, { recursive: true });
  await writeFile(join(dataDir, "sandbox.json"), "{}\n", { mode: 0o644 });
  serve = startCli(["serve", "--port", "0", "--data-dir", dataDir]);
  const [, url] = await serve.waitForOutput(/WorldCat sandbox for account 'sandbox' \[SANDBOX\]: (\S+)/);
  await serve.waitForOutput(/listening on /);
  const published = join(dataDir, "sandbox.json");
  const info = JSON.parse(await readFile(published, "utf8"));
  expect(info.url).toBe(url);
  expect((await stat(published)).mode & 0o077).toBe(0);
  const check = await cli(["worldcat", "check", "--account", "sandbox", "--data-dir", dataDir, "--json"]);
  expect(check.code).toBe(0);
  const report = JSON.parse(check.stdout);
  expect(report.sandbox).toBe(true);
  // the token came from serve's sandbox (its one account), not from a private sandbox of the check
  expect(report.token.principalID).toBe(info.principalID);
  serve.child.kill("SIGTERM");
  const stopped = await serve.exited;
  expect(stopped.code).toBe(0);
  expect(existsSync(published)).toBe(false);
});

it("run takes global options after the script's parameters too", async () => {
  const dir = await tempDir();
  cleanup = dir.cleanup;
  const dataDir = join(dir.dir, "data");
  const input = join(CORPUS, "chabon.mrc");
  const result = await cli(["run", "marc-convert", "-i", input, "--to", "json", "--data-dir", dataDir]);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^process 1\n/);
  expect(existsSync(join(dataDir, "nightshift.db"))).toBe(true);
  const listed = await cli(["processes", "--json", `--data-dir=${dataDir}`]);
  expect(JSON.parse(listed.stdout).items).toMatchObject([
    { id: 1, script: "marc-convert", status: "COMPLETED" },
  ]);
});
