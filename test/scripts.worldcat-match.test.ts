/** worldcat-match end to end: local records matched with a confidence; 035 only on confident ones; holdings. */
import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { CsvParser } from "../src/batch/csv.js";
import { controlField, createRecord, dataField, type MarcRecord, readFile } from "../src/marc/index.js";
import { syntheticRecord } from "../src/sandbox/seed/synthetic.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

const local = (k: number) =>
  syntheticRecord(k)
    .removeFields("001", "003", "005", "035")
    .addOrderedField(controlField("001", `local-${k}`));

describe("worldcat-match", () => {
  it("sets 035 (OCoLC) and holdings on confident matches only; candidates with confidence and reason", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const f008 = local(15).controlValue("008") ?? "";
    const records = [
      local(11),
      createRecord({
        fields: [
          controlField("001", "local-x"),
          controlField("008", "240101s1999    nyu           000 0 eng d"),
          dataField("245", "0", "0", [["a", "No such book anywhere zzqx"]]),
        ],
      }),
      local(15).replaceFields("008", controlField("008", `${f008.slice(0, 7)}1801${f008.slice(11)}`)),
    ];
    const input = writeIso2709(`${h.dir}/local.mrc`, records);
    const r = await h.run("worldcat-match", ["-i", "local.mrc", "--set-holdings"], { "local.mrc": input });
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", "local-11", "", "100000011", "match+set", "ok", ""],
      ["2", "local-x", "", "", "match", "skipped", "NO_MATCH"],
      ["3", "local-15", "", "", "match", "skipped", "NOT_CONFIDENT"],
    ]);
    expect(rows[0].message).toBe(
      "100000011 high (match; title, author, date, identifier agree); Holding Updated Successfully",
    );
    expect(rows[2].message).toMatch(
      /^no confident match: 100000015 low \(match; title, author, identifier agree\)/,
    );
    expect(h.sandbox.state.isHeld(h.sandbox.accounts[0].symbol, 100000011)).toBe(true);
    expect(h.sandbox.state.isHeld(h.sandbox.accounts[0].symbol, 100000015)).toBe(false);

    const p = new CsvParser();
    const text = r.text("candidates.csv").slice(1);
    const cands = [...p.push(text), ...p.end()].map((x) => x.fields);
    expect(cands.slice(1).map((c) => [c[0], c[4], c[5]])).toEqual([
      ["1", "100000011", "high"],
      ["3", "100000015", "low"],
    ]);

    const path = `${h.dir}/out.mrc`;
    writeFileSync(path, r.bytes("records.mrc"));
    const out: MarcRecord[] = [];
    for await (const item of readFile(path)) out.push(item.record);
    expect(
      out.map((x) =>
        x.getFields("035").flatMap((f) => (f.kind === "data" ? f.subfields.map((s) => s.value) : [])),
      ),
    ).toEqual([["(OCoLC)100000011"], [], []]);
  });
});
