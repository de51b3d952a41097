/**
 * The data directory holds password hashes, tokens, uploads and logs: it is private to the service account,
 * whether Nightshift made it or found it, and every file in it is created 0600.
 */
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { makeDataDirPrivate } from "../src/engine/data-dir.js";
import { DataDirNotPrivateError } from "../src/engine/errors.js";
import { parseProperties } from "../src/engine/parameters.js";
import { tempDir, testEngine, waitForStatus } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Every file and directory under `dir` with its permission bits. */
async function modes(dir: string): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    out.push([entry, (await stat(join(dir, entry))).mode & 0o777]);
  }
  return out;
}

it("a new data directory is made private to the service account", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const fresh = join(dir.dir, "fresh", "data");
  const engine = await testEngine(fresh);
  cleanups.push(() => engine.close());
  expect((await stat(fresh)).mode & 0o777).toBe(0o700);
});

it("an existing data directory open to others is made 0700 at start, and its database file 0600", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const shared = join(dir.dir, "shared");
  await mkdir(shared, { mode: 0o755 });
  // A database left by an older version with the default mode.
  await writeFile(join(shared, "nightshift.db"), "", { mode: 0o644 });
  const engine = await testEngine(shared);
  cleanups.push(() => engine.close());
  expect((await stat(shared)).mode & 0o777).toBe(0o700);
  expect((await stat(join(shared, "nightshift.db"))).mode & 0o777).toBe(0o600);
});

it("every file a process leaves (database, upload, log, outputs) is 0600, every directory 0700", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const data = join(dir.dir, "data");
  const engine = await testEngine(data);
  cleanups.push(() => engine.close());
  const dispatcher = engine.createDispatcher({ pollMs: 10 });
  await dispatcher.start();
  cleanups.push(() => dispatcher.stop(50));
  const p = await engine.service.createProcess({
    script: "files",
    parameters: parseProperties(engine.scripts.require("files"), [{ name: "-i", value: "in.txt" }]),
    startedBy: { source: "rest", userId: "u1" },
    uploads: [{ name: "in.txt", buffer: Buffer.from("abc\n") }],
  });
  await waitForStatus(engine, p.id, "COMPLETED");
  const all = await modes(data);
  expect(all.filter(([name]) => name.endsWith(".log")).length).toBe(1);
  expect(all.filter(([name]) => name.includes("/files/")).length).toBeGreaterThanOrEqual(2);
  for (const [name, mode] of all) {
    const isDir = (await stat(join(data, name))).isDirectory();
    expect([name, mode.toString(8)]).toEqual([name, (isDir ? 0o700 : 0o600).toString(8)]);
  }
});

it("refuses, saying why, a data directory open to others that cannot be made private", async () => {
  // /proc/1 is mode 0555 and nobody, not even root, may change it.
  const err = await makeDataDirPrivate("/proc/1").catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DataDirNotPrivateError);
  expect((err as Error).message).toMatch(
    /^the data directory \/proc\/1 is open to other local users \(mode 0555\) and cannot be made private \(EPERM\)/,
  );
});
