/**
 * Review 2: the `nightshift` command as a machine and a cataloguer use it. `run --json` and
 * `process --follow --json` print JSON (Lines) only; `process --files` says where each file is, so report.csv
 * can be opened; a missing input file names its parameter; a closed pipe does not crash the command.
 */
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";

let dir: { dir: string; cleanup(): Promise<void> };
let common: string[];
let numbers: string;
beforeAll(async () => {
  dir = await tempDir();
  common = ["--data-dir", join(dir.dir, "data")];
  numbers = join(dir.dir, "numbers.txt");
  await writeFile(numbers, "100000002\n100000003\nnot-a-number\n");
});
afterAll(() => dir.cleanup());

const BIN = join(import.meta.dirname, "..", "bin", "nightshift.js");

it("run --json prints JSON Lines: the new process (its id) first, then the process as it ended", async () => {
  const r = await cli([
    "run",
    "worldcat-holdings",
    "--action",
    "set",
    "--input",
    numbers,
    ...common,
    "--json",
  ]);
  expect(r.code).toBe(3); // COMPLETED with errors (issue 17)
  const lines = r.stdout.trimEnd().split("\n");
  expect(lines).toHaveLength(2);
  const [first, last] = lines.map((l) => JSON.parse(l));
  expect(first).toMatchObject({ script: "worldcat-holdings", status: "SCHEDULED", startedBy: "cli" });
  expect(last).toMatchObject({ id: first.id, status: "COMPLETED", outcome: "errors" });
  expect(last.result.byOutcome).toEqual({ ok: 1, skipped: 1, failed: 1, unknown: 0 });

  // --follow --json on the ended process: one object per log line, then the process
  const followed = await cli(["process", String(first.id), "--follow", "--json", ...common]);
  expect(followed.code).toBe(0);
  const objects = followed.stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(objects[0]).toMatchObject({ level: "INFO", message: expect.stringMatching(/^process \d+ /) });
  expect(objects[0].time).toMatch(/Z$/);
  expect(objects.at(-1)).toMatchObject({ id: first.id, status: "COMPLETED", outcome: "errors" });

  // --files says where report.csv is: a cataloguer opens it from there
  const files = await cli(["process", String(first.id), "--files", ...common]);
  const row = files.stdout.split("\n").find((l) => /\sreport\.csv\s/.test(l));
  const path = row?.trim().split(/\s+/).at(-1) ?? "";
  const report = await readFile(path, "utf8");
  expect(report.startsWith("\uFEFFposition,line,input_id,")).toBe(true);
  expect(report).toContain(`numbers.txt line 3: not an OCLC number: ""not-a-number""`);
}, 30_000);

it("a missing input file is refused naming its parameter, before any process exists", async () => {
  const r = await cli(["run", "worldcat-holdings", "-a", "set", "-i", "nope.txt", ...common]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toBe("nightshift run: --input: file not found: nope.txt\n");
});

it("a reader that closes the pipe early (| head -1) ends the command quietly, not with an EPIPE crash", async () => {
  const corpus = join(import.meta.dirname, "fixtures", "corpus", "pride-and-prejudice-with-many-errors.mrc");
  // ~1 MB of MARCXML: far more than a pipe holds, so the writer meets the closed pipe
  const child = spawn(process.execPath, [BIN, "marc", "convert", corpus, "--to", "marcxml"], {
    env: { ...process.env, NIGHTSHIFT_FROM_SOURCE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  // read the first chunk, then close our end, as `head -1` does
  child.stdout.once("data", () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  expect(err).not.toContain("EPIPE");
  expect(code).toBe(0);
});
