import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CORPUS } from "./fixtures/paths.js";

const ROOT = join(import.meta.dirname, "..");

const FIXTURES = join(ROOT, "test", "fixtures", "marc");

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/nightshift.js marc ...` with optional stdin; resolves when the process exits. */
function marc(args: string[], stdin?: Buffer): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "nightshift.js"), "marc", ...args], {
      cwd: ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe("nightshift marc", () => {
  it("count prints the count and reports problems on stderr with record and byte offset", async () => {
    const r = await marc(["count", join(CORPUS, "bad_too_long_plus_2.mrc")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("3\n");
    expect(r.stderr).toContain(
      "record 1 (byte 0): error: record length 23375 in leader, but the record terminator ends the record at 123375 bytes",
    );
  });

  it("convert --to text reads stdin and matches yaz-marcdump", async () => {
    const r = await marc(["convert", "-", "--to", "text"], readFileSync(join(CORPUS, "chabon.mrc")));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(FIXTURES, "chabon.yaz.txt"), "utf8"));
  });

  it("convert to a file with -o, guessing the input format (MARCXML -> ISO 2709)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ns-cli-marc-"));
    const out = join(dir, "summerland.mrc");
    const r = await marc(["convert", join(CORPUS, "summerland.xml"), "--to", "mrc", "-o", out]);
    expect(r).toMatchObject({ code: 0, stdout: "" });
    const back = await marc(["convert", out, "--from", "iso2709", "--to", "text"]);
    expect(back.stdout).toBe(readFileSync(join(FIXTURES, "summerland.yaz.txt"), "utf8"));
    expect((await readFile(out)).subarray(0, 5).toString()).toMatch(/^\d{5}$/);
  });

  it("validate prints one line per issue and exits 1 on errors", async () => {
    const ok = await marc(["validate", join(CORPUS, "summerland.mrc")]);
    expect(ok.code).toBe(0);
    const bad = await marc(["validate", join(CORPUS, "summerland.mrc"), "--profile", "lbd"]);
    expect(bad.code).toBe(1);
    const lines = bad.stdout.trim().split("\n");
    for (const line of lines.slice(0, -1))
      expect(line).toMatch(/^record 1 \(001 \d+\): (error|warning) [A-Z_0-9]+( \S+)? /);
    expect(lines.at(-1)).toMatch(/summerland.mrc: 1 record checked with the lbd profile: 1 invalid, /);
  });

  it("fails clearly on missing files, unknown formats and unguessable input", async () => {
    const missing = await marc(["count", "no-such-file.mrc"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no-such-file.mrc: ENOENT/);
    const unknown = await marc(["convert", join(CORPUS, "chabon.mrc"), "--to", "pdf"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown format 'pdf'/);
    const garbage = await marc(["count", "-"], Buffer.from("hello world"));
    expect(garbage.code).toBe(1);
    expect(garbage.stderr).toMatch(/stdin is not MARC: it starts with "hello world"/);
    const strict = await marc(["count", "--strict", join(CORPUS, "bad_leaders_10_11.mrc")]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/record 1 \(byte 10\): leader\/10-11/);
  });
});
