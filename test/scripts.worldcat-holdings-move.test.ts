/** worldcat-holdings --action move end to end: confirmed through holdings/current, report row by row, crash and resume. */
import { afterEach, describe, expect, it } from "vitest";
import { buildHoldingsRecord } from "../src/marc/holdings.js";
import { createLhr } from "../src/sandbox/domain/lhr-ops.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";
import { crashResumeChain } from "./review2.batch-crash.helpers.js";

let h: Harness;
afterEach(() => h?.close());

const symbol = () => h.sandbox.accounts[0].symbol;
const held = (n: number) => h.sandbox.state.isHeld(symbol(), n);
const lhrOn = (n: number) =>
  createLhr(
    h.sandbox.state,
    symbol(),
    buildHoldingsRecord({ oclcNumber: String(n), holdingLocation: "MAIN" }),
  );

describe("worldcat-holdings --action move", () => {
  it("moves holding and LHRs A -> B, ok only once holdings/current shows it; CSV pairs; refusals", async () => {
    h = await startHarness({ sandbox: { seed: 1000, moveDelayMs: 300 } });
    const lhr = lhrOn(100000002);
    const r = await h.run("worldcat-holdings", [
      "-a",
      "move",
      "--from-number",
      "100000002",
      "--to-number",
      "ocm100000003",
    ]);
    expect(rowTuples(reportRows(r.text("report.csv")))).toEqual([
      ["1", "100000002,ocm100000003", "100000002", "100000003", "move", "ok", ""],
    ]);
    expect(reportRows(r.text("report.csv"))[0].message).toBe(
      "holdings, LBD and LHRs moved from 100000002 to 100000003; confirmed through holdings/current",
    );
    expect([held(100000002), held(100000003)]).toEqual([false, true]);
    expect(h.sandbox.state.lhrs.get(lhr.id)?.record.controlValue("004")).toBe("100000003");

    lhrOn(100000004);
    const csv = "from,to\n100000004,100000005\n100000006,100000007\nabc,100000009\n";
    const c = await h.run("worldcat-holdings", ["-a", "move", "-i", "moves.csv"], {
      "moves.csv": h.file("moves.csv", csv),
    });
    const rows = reportRows(c.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", "100000004->100000005", "100000004", "100000005", "move", "ok", ""],
      ["2", "100000006->100000007", "100000006", "100000007", "move", "failed", "CONFLICT"],
      ["3", "abc->100000009", "", "", "move", "failed", "INVALID_INPUT"],
    ]);
    expect(rows[1].message).toMatch(/no local bibliographic data or local holdings records/);
    expect(rows[2].message).toBe('moves.csv line 4, column 1 (from): not an OCLC number: "abc"');
    expect(c.text("failures.csv")).toBe("100000006,100000007\r\nabc,100000009\r\n");
  });

  it("killed mid-batch and resumed: every move done once and confirmed", async () => {
    h = await startHarness({ dispatch: false, sandbox: { seed: 1000, moveDelayMs: 200 } });
    const pairs = Array.from({ length: 6 }, (_, i) => [100000100 + 2 * i, 100000101 + 2 * i]);
    for (const [a] of pairs) lhrOn(a);
    const csv = `${pairs.map(([a, b]) => `${a},${b}`).join("\n")}\n`;
    const chain = await crashResumeChain(
      h,
      "worldcat-holdings",
      ["-a", "move"],
      "moves.csv",
      h.file("moves.csv", csv),
      [6],
      pairs.map(([a, b]) => `${a}->${b}`),
    );
    expect([...chain.last.values()].map((r) => r.outcome)).toEqual(pairs.map(() => "ok"));
    for (const [a, b] of pairs) expect([held(a), held(b)], `${a}->${b}`).toEqual([false, true]);
    expect(await h.engine.store.db.selectFrom("unsettled_writes").selectAll().execute()).toEqual([]);
  }, 60_000);
});
