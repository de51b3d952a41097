/**
 * `nightshift marc convert` and `marc validate` say what they did (issue 17, item 7): input that is not MARC
 * is refused, read errors fail the command, a summary line ends a conversion, undefined MARC-8 bytes are
 * named where U+FFFD is written, and validation names each record's 001 and ends with a total.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORPUS } from "./fixtures/paths.js";

const ROOT = join(import.meta.dirname, "..");
/** Records 131 and 305 of pride-and-prejudice-fixed.mrc: sound MARC 21, but no 040 (WorldCat needs one). */
const NO_040 = join(ROOT, "test", "fixtures", "marc", "pride-and-prejudice-no-040.mrc");

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function marc(args: string[], stdin?: Buffer): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "nightshift.js"), "marc", ...args], {
      cwd: ROOT,
      env: { ...process.env, NIGHTSHIFT_FROM_SOURCE: "1" },
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

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ns-marc-outcomes-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1) ?? "";
}

describe("marc convert refuses input that is not MARC", () => {
  it("a list of numbers is refused naming the file and what it starts with; no output is written", async () => {
    const input = join(dir, "numbers.txt");
    await writeFile(input, "100000002\n100000003\n");
    const out = join(dir, "numbers.mrk");
    const r = await marc(["convert", input, "--to", "mrk", "-o", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `nightshift marc: ${input} is not MARC: it starts with "100000002\\n100000003\\n", a list of numbers, ` +
        "not an ISO 2709 leader, MARCXML, MARC-in-JSON or a MarcEdit .mrk =LDR line (if it is MARC, name its format)\n",
    );
    expect(existsSync(out)).toBe(false);
  });

  it("a CSV file and a single number on stdin are refused too", async () => {
    const csv = await marc(["convert", "-", "--to", "mrk"], Buffer.from("ocn,title\n100000002,Emma\n"));
    expect(csv.code).toBe(1);
    expect(csv.stdout).toBe("");
    expect(csv.stderr).toMatch(
      /^nightshift marc: stdin is not MARC: it starts with "ocn,title\\n.*", a CSV file,/,
    );
    const one = await marc(["convert", "-", "--to", "marcxml"], Buffer.from("1234567890"));
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/stdin is not MARC: it starts with "1234567890", a list of numbers/);
  });
});

describe("marc convert says what it did", () => {
  it("ends with a summary line: records, formats and encodings, warnings", async () => {
    const out = join(dir, "brkrtest.xml");
    const r = await marc(["convert", join(CORPUS, "brkrtest.mrc"), "--to", "marcxml", "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("8 records converted (ISO 2709, MARC-8 → MARCXML, UTF-8), 0 warnings\n");
    expect((await readFile(out, "utf8")).match(/<record>/g)).toHaveLength(8);
    const utf8 = await marc([
      "convert",
      join(CORPUS, "summerland.xml"),
      "--to",
      "json",
      "-o",
      join(dir, "s.json"),
    ]);
    expect(utf8.stderr).toBe("1 record converted (MARCXML, UTF-8 → MARC-in-JSON, UTF-8), 0 warnings\n");
    const mrk = await marc([
      "convert",
      join(CORPUS, "brkrtest.mrk"),
      "--to",
      "mrc",
      "-o",
      join(dir, "b.mrc"),
    ]);
    expect(mrk.stderr).toBe("8 records converted (MarcEdit .mrk, MARC-8 → ISO 2709, UTF-8), 0 warnings\n");
  });

  it("exits 1 when it reported read errors, as its help says, and counts them in the summary", async () => {
    const r = await marc([
      "convert",
      join(CORPUS, "pride-and-prejudice-with-many-errors.mrc"),
      "--to",
      "marcxml",
      "-o",
      join(dir, "pride.xml"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/record 93 \(byte 90496\): error: directory length 119 is not a multiple of 12/);
    const errors = r.stderr.split("\n").filter((l) => l.includes(": error: ")).length;
    const warnings = r.stderr.split("\n").filter((l) => l.includes(": warning: ")).length;
    expect(errors).toBeGreaterThan(0);
    expect(lastLine(r.stderr)).toBe(
      `383 records converted (ISO 2709, UTF-8 → MARCXML, UTF-8), ${warnings} warnings, ${errors} errors`,
    );
    expect((await marc(["convert", "--help"])).stdout).toMatch(/1 invalid records, errors reading the input/);
  });

  it("warnings alone (MARC-8 bytes it could not decode) exit 0, each naming the bytes, record and field", async () => {
    const out = join(dir, "esc.mrk");
    const r = await marc(["convert", join(CORPUS, "incomplete_esc_seq.mrc"), "--to", "mrk", "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "incomplete_esc_seq.mrc: record 1 (byte 2616), field 880: warning: MARC-8: bytes 0x623C21 not defined in " +
        "Chinese, Japanese, Korean (EACC), replaced by U+FFFD\n",
    );
    expect(r.stderr).toMatch(
      /record 1 \(byte \d+\), field 880: warning: MARC-8: incomplete 3-byte Chinese, Japanese, Korean \(EACC\) character 0x[0-9A-F]+, replaced by U\+FFFD/,
    );
    const warnings = r.stderr.split("\n").filter((l) => l.includes(": warning: ")).length;
    expect(lastLine(r.stderr)).toBe(
      `1 record converted (ISO 2709, MARC-8 → MarcEdit .mrk, UTF-8), ${warnings} warnings`,
    );
    expect(await readFile(out, "utf8")).toContain("\uFFFD");
  });

  it("a MARC-8 .mrk file's undefined bytes are named too (they were replaced silently)", async () => {
    // brkrtest.mrk's first record (MARC-8) with 0xAF, which ANSEL does not define, in its 245 $a
    const first = readFileSync(join(CORPUS, "brkrtest.mrk"), "latin1").split("\r\n\r\n")[0]!;
    const broken = first.replace("=245  10$aNew test record", "=245  10$aNew \u00AF test record");
    expect(broken).not.toBe(first);
    const input = join(dir, "broken.mrk");
    await writeFile(input, Buffer.from(`${broken}\r\n\r\n`, "latin1"));
    const r = await marc(["convert", input, "--to", "marcxml"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /broken.mrk: record 1 \(byte \d+\), field 245: warning: MARC-8: byte 0xAF not defined in Extended Latin \(ANSEL\), replaced by U\+FFFD \(line \d+\)/,
    );
    expect(r.stdout).toContain("New \uFFFD test record");
    expect(lastLine(r.stderr)).toBe("1 record converted (MarcEdit .mrk, MARC-8 → MARCXML, UTF-8), 1 warning");
  });
});

describe("marc validate", () => {
  it("a valid file gets one line; the create profile shows what structure accepts and WorldCat refuses", async () => {
    const structure = await marc(["validate", NO_040]);
    expect(structure.code).toBe(0);
    expect(structure.stdout).toBe(`${NO_040}: valid: 2 records checked with the structure profile\n`);

    const create = await marc(["validate", NO_040, "--profile", "create"]);
    expect(create.code).toBe(1);
    expect(create.stdout.split("\n")).toEqual([
      "record 1 (no 001): error MISSING_040 040 the record has no field 040 (cataloging source), needed for creating a WorldCat record",
      "record 2 (001 29907139): error MISSING_040 040 the record has no field 040 (cataloging source), needed for creating a WorldCat record",
      "record 2 (001 29907139): warning HAS_OCLC_NUMBER 001[1] field 001: the record already has OCLC number 29907139; creating it may add a duplicate",
      `${NO_040}: 2 records checked with the create profile: 2 invalid, 2 errors, 1 warning`,
      "",
    ]);
  });

  it("names each problem record by its 001 and totals a large file", async () => {
    const r = await marc(["validate", join(CORPUS, "pride-and-prejudice-with-many-errors.mrc")]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(
      lines.slice(0, -1).every((l) => /^record \d+ \((001 \S+|no 001)\): (error|warning) /.test(l)),
    ).toBe(true);
    expect(lines).toContain(
      "record 381 (001 ocn9660301901): warning BAD_008_CODE 008[1] field 008/33 (literary form) is blank; expected one of 0, 1, d, e, f, h, i, j, m, p, s, u, |",
    );
    expect(lines.at(-1)).toMatch(
      /pride-and-prejudice-with-many-errors.mrc: 383 records checked with the structure profile: \d+ invalid, \d+ errors, \d+ warnings$/,
    );
  });
});
