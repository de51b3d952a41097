import { mkdir, readdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { parseArgv } from "../src/engine/parameters.js";
import { tempDir, testEngine } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("leftovers of a crashed upload or create are swept at start; fresh ones and the staging of a create are not kept", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const data = join(dir.dir, "data");
  const old = join(data, "staging", "a1b2c3");
  const fresh = join(data, "uploads", "d4e5f6");
  for (const d of [old, fresh]) {
    await mkdir(d, { recursive: true });
    await writeFile(join(d, "0.upload"), "half a file");
  }
  const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
  await utimes(old, twoHoursAgo, twoHoursAgo);

  const engine = await testEngine(data);
  cleanups.push(() => engine.close());
  expect(await readdir(join(data, "staging"))).toEqual([]);
  expect(await readdir(join(data, "uploads"))).toEqual(["d4e5f6"]);

  // A create leaves no empty staging directory behind.
  const input = join(dir.dir, "in.txt");
  await writeFile(input, "abc");
  await engine.service.createProcess({
    script: "files",
    parameters: parseArgv(engine.scripts.require("files"), ["-i", input]),
    startedBy: { source: "cli" },
    uploads: [{ name: input, path: input }],
  });
  expect(await readdir(join(data, "staging"))).toEqual([]);
});
