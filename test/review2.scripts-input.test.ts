/**
 * Review 2: bad input as a cataloguer meets it. Every row of a garbage line, a bad CSV cell, an unreadable or
 * invalid MARC record names the file (as the user named it, never the stored path), the line or record and the
 * field, once; and worldcat-holding-codes offers only the options it uses (issue 17 item 6).
 */
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { controlField, createRecord, dataField } from "../src/marc/index.js";
import { cli, writeTestConfig } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

it("a garbage line of a text input and a bad CSV cell name the file, the line and the column", async () => {
  h = await startHarness();
  const text = h.file("numbers.txt", "100000001\nnot-a-number\n");
  const t = await h.run("worldcat-holdings", ["-a", "set", "-i", "numbers.txt"], { "numbers.txt": text });
  expect(reportRows(t.text("report.csv"))[1].message).toBe(
    'numbers.txt line 2: not an OCLC number: "not-a-number"',
  );
  const csv = h.file("weeding.csv", "title,ocn\r\nA,100000001\r\nB,12x\r\n");
  const c = await h.run("worldcat-holdings", ["-a", "set", "-i", "weeding.csv"], { "weeding.csv": csv });
  expect(reportRows(c.text("report.csv"))[1].message).toBe(
    'weeding.csv line 3, column 2 (ocn): not an OCLC number: "12x"',
  );
});

it("a file that is not MARC is refused by its own name, not the stored path", async () => {
  h = await startHarness();
  const path = h.file("list.mrc", "100000001\n100000002\n");
  const r = await h.run("worldcat-bibs", ["-a", "validate", "-i", "list.mrc"], { "list.mrc": path });
  expect(r.process.status).toBe("FAILED");
  expect(r.process.exitMessage).toMatch(/^list\.mrc: not a MARC file /);
});

it("validate rows name the file and record, and say each field once", async () => {
  h = await startHarness();
  const bad = createRecord({
    leader: "00000nam a2200000 a 4500",
    fields: [
      controlField("001", "ocm100000001"),
      controlField("008", "short"),
      dataField("245", "3", "0", [["a", "Title"]]),
    ],
  });
  const path = writeIso2709(h.file("mine.mrc", ""), [bad]);
  const r = await h.run("worldcat-bibs", ["-a", "validate", "-i", "mine.mrc"], { "mine.mrc": path });
  const message = reportRows(r.text("report.csv"))[0].message;
  expect(message).toMatch(/^mine\.mrc record 1: field 008 /);
  expect(message).toContain("field 245: indicator 1");
  expect(message).not.toMatch(/field (\d{3}): field \1/);
});

it("worldcat-holding-codes takes --account and nothing it would ignore: --dry-run and --resume are refused", async () => {
  h = await startHarness();
  const r = await h.run("worldcat-holding-codes", ["--account", "sandbox"]);
  expect(r.process.status).toBe("COMPLETED");
  expect(r.text("report.csv")).toMatch(/^\uFEFFcode,name\r\n/);
  const dir = await tempDir();
  try {
    const common = ["--data-dir", join(dir.dir, "data"), "--config", await writeTestConfig(dir.dir)];
    const help = await cli(["run", ...common, "worldcat-holding-codes", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--account");
    for (const option of ["--dry-run", "--resume", "--concurrency"])
      expect(help.stdout).not.toContain(option);
    const dry = await cli(["run", ...common, "worldcat-holding-codes", "--dry-run"]);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toMatch(/^nightshift run: unknown parameter '--dry-run'/);
    const resume = await cli(["run", ...common, "worldcat-holding-codes", "--resume", "1"]);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toMatch(/^nightshift run: unknown parameter '--resume'/);
    const listed = JSON.parse((await cli(["processes", ...common, "--json"])).stdout);
    expect(listed.total).toBe(0);
  } finally {
    await dir.cleanup();
  }
});
