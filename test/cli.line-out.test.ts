/** What serve and worker say on stdout is written in batches, in order, and nothing waiting is lost at exit. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, it, vi } from "vitest";
import { createLineOut } from "../src/cli/line-out.js";

afterEach(() => {
  vi.useRealTimers();
});

it("lines said close together are written once, in order, within the delay", () => {
  vi.useFakeTimers();
  const writes: string[] = [];
  const out = createLineOut((text) => writes.push(text), 20);
  out.write("one\n");
  out.write("two\n");
  expect(writes).toEqual([]);
  vi.advanceTimersByTime(20);
  expect(writes).toEqual(["one\ntwo\n"]);
  out.write("three\n");
  out.flush();
  expect(writes).toEqual(["one\ntwo\n", "three\n"]);
  vi.advanceTimersByTime(100);
  expect(writes).toHaveLength(2);
});

it("what waits is written when the OS process exits, even by process.exit at once", async () => {
  const module = join(import.meta.dirname, "..", "src", "cli", "line-out.ts");
  const code = `import { createLineOut } from ${JSON.stringify(module)};
    const out = createLineOut((t) => process.stdout.write(t), 60_000);
    out.write("first\\n"); out.write("last\\n"); process.exit(0);`;
  const { stdout } = await promisify(execFile)(process.execPath, [
    "--import",
    "tsx",
    "--input-type=module",
    "-e",
    code,
  ]);
  expect(stdout).toBe("first\nlast\n");
});
