import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, startCli, writeTestConfig } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";

let dir: { dir: string; cleanup(): Promise<void> };
let common: string[];
beforeAll(async () => {
  dir = await tempDir();
  common = ["--data-dir", join(dir.dir, "data"), "--config", await writeTestConfig(dir.dir)];
});
afterAll(() => dir.cleanup());

describe("nightshift run / processes / process / cancel / scripts", () => {
  it("run prints the process id first, the log lines, and exits 0 on COMPLETED", async () => {
    const r = await cli(["run", ...common, "echo", "-m", "hello", "--password", "s3cr3t-value"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^process \d+$/);
    const id = lines[0].split(" ")[1];
    expect(lines).toContainEqual(expect.stringMatching(/^\S+Z INFO message: hello$/));
    expect(lines.at(-1)).toBe(`process ${id} COMPLETED`);
    expect(r.stdout).not.toContain("s3cr3t-value");
    const shown = await cli(["process", id, ...common, "--json"]);
    const p = JSON.parse(shown.stdout);
    expect(p).toMatchObject({ id: Number(id), status: "COMPLETED", startedBy: "cli" });
    expect(p.parameters).toEqual([
      { name: "--message", value: "hello" },
      { name: "--password", value: "********" },
    ]);
  });

  it("process --log prints a log of several MiB whole and in order (read in steps)", async () => {
    const r = await cli(["run", ...common, "echo", "-m", "big"]);
    const id = r.stdout.split("\n")[0].split(" ")[1];
    const file = join(dir.dir, "data", "processes", id, "process.log");
    const extra = Array.from(
      { length: 40_000 },
      (_, i) => `2026-01-01T00:00:00.000Z INFO line ${i} ${"x".repeat(60)}\n`,
    );
    await appendFile(file, extra.join(""));
    const shown = await cli(["process", id, ...common, "--log"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(await readFile(file, "utf8"));
    expect(shown.stdout.length).toBeGreaterThan(3 * 1024 * 1024);
  });

  it("bad parameters: each problem printed, exit 2, and no process is created", async () => {
    const before = JSON.parse((await cli(["processes", ...common, "--json"])).stdout).total;
    const r = await cli(["run", ...common, "echo", "--bogus", "--message"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      "nightshift run: unknown parameter '--bogus'\nnightshift run: parameter '--message' (-m) needs a value\n",
    );
    expect(JSON.parse((await cli(["processes", ...common, "--json"])).stdout).total).toBe(before);
    const unknown = await cli(["run", ...common, "no-such-script"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no script named 'no-such-script'");
  });

  it("run exits 1 on FAILED, and copies file parameters into the process", async () => {
    const failed = await cli(["run", ...common, "fail"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/process \d+ FAILED: boom\n$/);
    const input = join(dir.dir, "in.txt");
    await writeFile(input, "abc");
    const ok = await cli(["run", ...common, "files", "-i", input]);
    expect(ok.code).toBe(0);
    const id = ok.stdout.split("\n")[0].split(" ")[1];
    const files = await cli(["process", id, ...common, "--files"]);
    expect(files.stdout).toMatch(/^ID\s+TYPE\s+NAME\s+SIZE\s+SHA-256\s+PATH\n/);
    expect(files.stdout).toContain(`inputfile  ${input}`);
    expect(files.stdout).toMatch(/report\s+\.\.\/\.\.\/upper\.txt\s+3\s+[0-9a-f]{64}/);
    // --files --json: the same absolute paths as the table (issue 17 item 5)
    const json = JSON.parse((await cli(["process", id, ...common, "--files", "--json"])).stdout);
    const paths = files.stdout
      .trimEnd()
      .split("\n")
      .slice(1)
      .map((l) => l.split(/\s+/).at(-1));
    expect(json.files.map((f: { path: string }) => f.path)).toEqual(paths);
    for (const f of json.files) expect(f.path.startsWith(join(dir.dir, "data"))).toBe(true);
    // --save DIR: every file under its own name, the bytes as stored
    const saved = await cli(["process", id, ...common, "--save", join(dir.dir, "saved")]);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toContain(`saved ${join(dir.dir, "saved", "upper.txt")}\n`);
    expect(await readFile(join(dir.dir, "saved", "upper.txt"), "utf8")).toBe("ABC");
    expect(await readFile(join(dir.dir, "saved", "in.txt"), "utf8")).toBe("abc");
    expect(await readFile(join(dir.dir, "saved", `files-${id}.log`), "utf8")).toContain("INFO");
  });

  it("cancel from another OS process stops a foreground run, which exits 1 as CANCELLED", async () => {
    const run = startCli(["run", ...common, "block"]);
    const [, id] = await run.waitForOutput(/^process (\d+)$/m);
    await run.waitForOutput(/INFO blocking until aborted/);
    const list = await cli(["processes", ...common, "--status", "RUNNING"]);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+RUNNING\\s+block`, "m"));
    const log = await cli(["process", id, ...common, "--log"]);
    expect(log.stdout).toMatch(/INFO blocking until aborted\n$/);
    const cancel = await cli(["cancel", id, ...common]);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toBe(`process ${id}: cancel requested; it stops at its next check\n`);
    const end = await run.exited;
    expect(end.code).toBe(1);
    expect(end.stdout).toMatch(new RegExp(`process ${id} CANCELLED: cancelled while running\\n$`));
  });

  it("Ctrl-C on a foreground run cancels its process", async () => {
    const run = startCli(["run", ...common, "block"]);
    const [, id] = await run.waitForOutput(/^process (\d+)$/m);
    await run.waitForOutput(/INFO blocking until aborted/);
    run.child.kill("SIGINT");
    const end = await run.exited;
    expect(end.code).toBe(1);
    expect(end.stdout).toContain(`process ${id} CANCELLED`);
    const follow = await cli(["process", id, ...common, "--follow"]);
    expect(follow.stdout).toMatch(/ERROR CANCELLED: cancelled while running \(after [\d.]+ s\)\n$/);
  });

  it("processes filters by status and script; scripts --json lists parameters", async () => {
    const failed = await cli(["processes", ...common, "--status", "FAILED", "--script", "fail"]);
    expect(failed.stdout).toMatch(/^ID\s+STATUS\s+SCRIPT/);
    expect(
      failed.stdout
        .trim()
        .split("\n")
        .slice(1)
        .every((l) => /\bFAILED\s+fail\b/.test(l)),
    ).toBe(true);
    const bad = await cli(["processes", ...common, "--status", "DONE"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown status 'DONE'");
    const scripts = JSON.parse((await cli(["scripts", ...common, "--json"])).stdout);
    const cleaner = scripts.find((s: { name: string }) => s.name === "process-cleaner");
    expect(cleaner.parameters).toContainEqual(
      expect.objectContaining({
        name: "-d",
        nameLong: "--days",
        type: "integer",
        mandatory: false,
        default: 14,
      }),
    );
  });
});
