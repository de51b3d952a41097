/** A config file with an inline WorldCat secret is refused when it is read, by every command. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";

let dir: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

it("processes, serve and run refuse it, naming the file and key, never the value", async () => {
  const config = join(dir.dir, "inline.yaml");
  await writeFile(config, "accounts:\n  weeding:\n    key: env:K\n    secret: hunter2-inline-value\n");
  const data = join(dir.dir, "data");
  for (const args of [["processes"], ["serve", "--port", "0"], ["run", "process-cleaner", "--dry-run"]]) {
    const r = await cli([...args, "--data-dir", data, "--config", config]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`${config}:4: accounts.weeding.secret: inline secrets are not allowed`);
    expect(r.stderr + r.stdout).not.toContain("hunter2-inline-value");
  }
});
