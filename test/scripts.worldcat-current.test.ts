/** worldcat-current end to end: local records in, merged numbers rewritten (old ones in 035 $z), report row by row. */
import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  controlField,
  createRecord,
  dataField,
  type Field,
  type MarcRecord,
  readFile,
} from "../src/marc/index.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

const rec = (...fields: Field[]) =>
  createRecord({ fields: [...fields, dataField("245", "0", "0", [["a", "A local record"]])] });

describe("worldcat-current", () => {
  it("rewrites merged numbers in 001 and 035, keeps the old in 035 $z, reports what changed", async () => {
    h = await startHarness({ sandbox: { seed: 20_000 } });
    const records = [
      createRecord({
        fields: [
          controlField("001", "ocn100001000"),
          controlField("003", "OCoLC"),
          dataField("035", " ", " ", [["a", "(OCoLC)100001000"]]),
          dataField("035", " ", " ", [["a", "(LOCAL)b123"]]),
          dataField("245", "0", "0", [["a", "Merged"]]),
        ],
      }),
      rec(controlField("001", "b1"), dataField("035", " ", " ", [["a", "(OCoLC)100000001"]])),
      rec(controlField("001", "b2")),
      rec(dataField("035", " ", " ", [["a", "(OCoLC)999999999"]])),
      rec(
        controlField("001", "12345"),
        dataField("035", " ", " ", [
          ["a", "(OCoLC)ocm100001000"],
          ["z", "(OCoLC)77"],
        ]),
      ),
    ];
    const input = writeIso2709(`${h.dir}/local.mrc`, records);
    const r = await h.run("worldcat-current", ["-i", "local.mrc"], { "local.mrc": input });
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", "ocn100001000", "100001000", "100000999", "rewrite", "ok", ""],
      ["2", "b1", "100000001", "100000001", "check", "skipped", ""],
      ["3", "b2", "", "", "check", "failed", "NO_OCLC_NUMBER"],
      ["4", "record 4", "999999999", "", "check", "failed", "NOT_FOUND"],
      ["5", "12345", "100001000", "100000999", "rewrite", "ok", ""],
    ]);
    expect(rows.map((x) => x.message)).toEqual([
      "merged: 001 100001000 -> 100000999; 035 100001000 -> 100000999",
      "numbers are current",
      "record 3: no OCLC number in 001 or 035 $a",
      "not in WorldCat: 999999999",
      "merged: 035 100001000 -> 100000999",
    ]);
    const out: MarcRecord[] = [];
    for await (const item of readFile(writeOut(r.bytes("records.mrc")))) out.push(item.record);
    expect(out).toHaveLength(5);
    expect(out[0].controlValue("001")).toBe("ocn100000999");
    expect(
      out[0]
        .getFields("035")
        .map((f) => (f.kind === "data" ? f.subfields.map((s) => `${s.code}${s.value}`).join(" ") : "")),
    ).toEqual(["a(OCoLC)100000999 z(OCoLC)100001000", "a(LOCAL)b123"]);
    expect(out[1].fields).toEqual(records[1].fields);
    expect(out[4].controlValue("001")).toBe("12345"); // a local 001 is left alone
    expect(
      out[4]
        .getFields("035")
        .map((f) => (f.kind === "data" ? f.subfields.map((s) => `${s.code}${s.value}`).join(" ") : "")),
    ).toEqual(["a(OCoLC)100000999 z(OCoLC)77 z(OCoLC)100001000"]);
    // 5 records: 10 per request
    expect(h.sandbox.state.counters.byRoute["GET /worldcat/manage/bibs/current"]).toBe(1);
  });
});

function writeOut(bytes: Buffer): string {
  const path = `${h.dir}/records-out.mrc`;
  writeFileSync(path, bytes);
  return path;
}
