import { afterEach, beforeEach, expect, it } from "vitest";
import { oclcNumberOf, parseMarcXmlString } from "../src/marc/index.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ sandbox: { seed: 2000 } });
});
afterEach(() => h.close());

it("worldcat-fetch reads master records into records.xml, following merged numbers", async () => {
  const input = h.file("n.txt", "100000011\n100001000\n999999999\n");
  const r = await h.run("worldcat-fetch", ["-i", "n.txt", "--format", "marcxml"], { "n.txt": input });
  const rows = reportRows(r.text("report.csv"));
  expect(rowTuples(rows)).toEqual([
    ["1", "100000011", "100000011", "100000011", "read", "ok", ""],
    ["2", "100001000", "100001000", "100000999", "read", "ok", ""],
    ["3", "999999999", "999999999", "", "read", "failed", "NOT_FOUND"],
  ]);
  expect(rows[1].message).toBe("Synthetic record 999 /; 100001000 was merged into 100000999");
  const records = parseMarcXmlString(r.text("records.xml"));
  expect(records.map((x) => oclcNumberOf(x)?.number).sort()).toEqual(["100000011", "100000999"]);
  expect(r.text("failures.txt")).toBe("999999999\n");
});

it("worldcat-holding-codes lists the account's codes in report.csv and the log", async () => {
  const r = await h.run("worldcat-holding-codes", []);
  expect(r.process.status).toBe("COMPLETED");
  expect(r.text("report.csv")).toBe("\uFEFFcode,name\r\nMAIN,Main Library\r\nORE,Oregon Annex\r\n");
  expect(r.log).toContain("INFO MAIN\tMain Library\n");
  expect(r.log).toContain("2 holding library code(s) for OCPSB");
});
