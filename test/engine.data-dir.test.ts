import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { tempDir, testEngine } from "./fixtures/scripts/harness.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it("a new data directory is made private to the service account; an existing one keeps its mode", async () => {
  const dir = await tempDir();
  cleanups.push(dir.cleanup);
  const fresh = join(dir.dir, "fresh", "data");
  const engine = await testEngine(fresh);
  cleanups.push(() => engine.close());
  expect((await stat(fresh)).mode & 0o777).toBe(0o700);

  const shared = join(dir.dir, "shared");
  await mkdir(shared, { mode: 0o750 });
  const other = await testEngine(shared);
  cleanups.push(() => other.close());
  expect((await stat(shared)).mode & 0o777).toBe(0o750);
});
