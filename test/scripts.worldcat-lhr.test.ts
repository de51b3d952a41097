/** worldcat-lhr end to end against the sandbox: CSV and MARC holdings in, report row by row, crash and resume. */
import { afterEach, describe, expect, it } from "vitest";
import { buildHoldingsRecord, readHoldings } from "../src/marc/holdings.js";
import { dataField } from "../src/marc/record.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";
import { crashResumeChain } from "./review2.batch-crash.helpers.js";

let h: Harness;
afterEach(() => h?.close());

const symbol = () => h.sandbox.accounts[0].symbol;
const lhrsOn = (ocn: number) => [...h.sandbox.state.lhrs.values()].filter((l) => l.ocn === ocn);

describe("worldcat-lhr", () => {
  it("creates LHRs from a CSV on held records only; --set-holdings sets the missing holdings", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const csv = [
      "ocn,holding_location,shelving_location,call_number,barcode,shared_print",
      "100000002,MAIN,Stacks,PR4034 .P7,39001,until 20351231 EAST",
      "100000003,MAIN,Stacks,PR4036 .S4,39002,",
      "abc,MAIN,,,,",
      "999999999,MAIN,,,,",
      "100000004,,Stacks,X1,39004,",
      "100000006,MAIN,Stacks,PR1,39006,soon",
    ].join("\n");
    const input = h.file("lhr.csv", `${csv}\n`);
    const r = await h.run("worldcat-lhr", ["-a", "create", "-i", "lhr.csv"], { "lhr.csv": input });
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", "100000002", "100000002", "100000002", "create", "ok", ""],
      ["2", "100000003", "100000003", "100000003", "create", "failed", "NOT_HELD"],
      ["3", "abc", "", "", "create", "failed", "INVALID_INPUT"],
      ["4", "999999999", "999999999", "", "create", "failed", "NOT_FOUND"],
      ["5", "100000004", "100000004", "", "create", "failed", "INVALID_INPUT"],
      ["6", "100000006", "100000006", "", "create", "failed", "INVALID_INPUT"],
    ]);
    const [lhr] = lhrsOn(100000002);
    expect(rows[0].message).toBe(
      `local holdings record ${lhr.id} created on 100000002 (MAIN / Stacks / PR4034 .P7 / 39001)`,
    );
    expect(readHoldings(lhr.record).commitments[0]).toMatchObject({
      commitmentExpirationDate: "20351231",
      program: "EAST",
    });
    expect(rows[1].message).toBe(
      `${symbol()} does not hold 100000003; set the holding first (or run with --set-holdings)`,
    );
    expect(rows[4].message).toBe("item 5: no holding location (column holding_location)");
    expect(rows[5].message).toMatch(/^item 6: shared-print commitment "soon": no date YYYYMMDD$/);
    expect(r.text("failures.csv").split(/\r?\n/)[0]).toBe(
      "ocn,holding_location,shelving_location,call_number,barcode,shared_print",
    );

    const again = await h.run("worldcat-lhr", ["-a", "create", "--set-holdings", "-i", "lhr.csv"], {
      "lhr.csv": h.file("again.csv", `${csv.split("\n").slice(0, 3).join("\n")}\n`),
    });
    const rows2 = reportRows(again.text("report.csv"));
    expect(rowTuples(rows2).map((t) => t[5])).toEqual(["ok", "ok"]);
    expect(rows2[1].message).toMatch(/^holding set; local holdings record \d+ created on 100000003/);
    expect(h.sandbox.state.isHeld(symbol(), 100000003)).toBe(true);
    // the first row ran again: a second LHR on 100000002 (a new item, not a retry), as asked
    expect(lhrsOn(100000002)).toHaveLength(2);
  });

  it("MARC holdings records: validated first, then created; replace, read and delete by number", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const bad = buildHoldingsRecord({ oclcNumber: "100000010", holdingLocation: "MAIN" }).removeFields("852");
    const badFile = writeIso2709(`${h.dir}/bad.mrc`, [bad]);
    const refused = await h.run("worldcat-lhr", ["-a", "create", "-i", "bad.mrc"], { "bad.mrc": badFile });
    expect(refused.process.status).toBe("FAILED");
    expect(refused.process.exitMessage).toMatch(/bad\.mrc: record 1, field 852: the record has no field 852/);

    const good = [10, 12].map((n) =>
      buildHoldingsRecord({ oclcNumber: `1000000${n}`, holdingLocation: "MAIN", callNumber: `QA${n}` }),
    );
    const created = await h.run("worldcat-lhr", ["-a", "create", "-i", "h.mrc"], {
      "h.mrc": writeIso2709(`${h.dir}/h.mrc`, good),
    });
    expect(rowTuples(reportRows(created.text("report.csv"))).map((t) => t[5])).toEqual(["ok", "ok"]);
    const ids = [lhrsOn(100000010)[0].id, lhrsOn(100000012)[0].id];

    const stored = h.sandbox.state.lhrs.get(ids[0])!.record;
    const changed = stored.addField(dataField("876", " ", " ", [["p", "39999"]]));
    const replaced = await h.run("worldcat-lhr", ["-a", "replace", "-i", "r.mrc"], {
      "r.mrc": writeIso2709(`${h.dir}/r.mrc`, [changed, stored]),
    });
    const rrows = reportRows(replaced.text("report.csv"));
    expect(rowTuples(rrows)).toEqual([
      ["1", String(ids[0]), "100000010", "100000010", "replace", "ok", ""],
      ["2", String(ids[0]), "100000010", "", "replace", "failed", "STALE_005"],
    ]);
    expect(readHoldings(h.sandbox.state.lhrs.get(ids[0])!.record).barcodes).toEqual(["39999"]);

    const list = h.file("ids.txt", `${ids.join("\n")}\n`);
    const read = await h.run("worldcat-lhr", ["-a", "read", "-f", "marcxml", "-i", "ids.txt"], {
      "ids.txt": list,
    });
    expect(rowTuples(reportRows(read.text("report.csv"))).map((t) => [t[1], t[2], t[5]])).toEqual([
      [String(ids[0]), "100000010", "ok"],
      [String(ids[1]), "100000012", "ok"],
    ]);
    expect(read.text("records.xml").match(/<record/g)).toHaveLength(2);
    const del = await h.run("worldcat-lhr", ["-a", "delete", "-i", "ids.txt"], { "ids.txt": list });
    expect(rowTuples(reportRows(del.text("report.csv"))).map((t) => t[5])).toEqual(["ok", "ok"]);
    expect(h.sandbox.state.lhrs.size).toBe(0);
  });

  it("killed mid-batch and resumed: one LHR per row, never two", async () => {
    h = await startHarness({ dispatch: false, sandbox: { seed: 1000, latencyMs: 5 } });
    const numbers = Array.from({ length: 30 }, (_, i) => String(100000100 + 2 * i));
    const csv = `ocn,holding_location,call_number,barcode\n${numbers.map((n, i) => `${n},MAIN,CN ${i},B${i}`).join("\n")}\n`;
    const chain = await crashResumeChain(
      h,
      "worldcat-lhr",
      ["-a", "create"],
      "lhr.csv",
      h.file("lhr.csv", csv),
      [25],
      numbers,
    );
    expect([...chain.last.values()].map((r) => r.outcome)).toEqual(numbers.map(() => "ok"));
    for (const n of numbers) expect(lhrsOn(Number(n)), n).toHaveLength(1);
  }, 60_000);
});
