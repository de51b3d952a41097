/** worldcat-reconcile end to end: catalogue numbers against a WorldCat holdings export; to-set, to-unset, --apply. */
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

const held = (n: number) => h.sandbox.state.isHeld(h.sandbox.accounts[0].symbol, n);

describe("worldcat-reconcile", () => {
  it("to-set.txt, to-unset.txt and a report row per number; --apply does both", async () => {
    h = await startHarness({ sandbox: { seed: 20_000 } });
    const local = h.file("catalogue.txt", "100000002\n100000003\n100001000\n999999999\n");
    const exported = h.file(
      "holdings.csv",
      "OCLC Number,Title\n100000002,A\n100000004,B\n100000999,C\n100000005,D\n",
    );
    const args = ["-i", "catalogue.txt", "--holdings", "holdings.csv"];
    const uploads = { "catalogue.txt": local, "holdings.csv": exported };
    const r = await h.run("worldcat-reconcile", args, uploads);
    expect(rowTuples(reportRows(r.text("report.csv")))).toEqual([
      ["1", "100000002", "100000002", "100000002", "held", "skipped", ""],
      ["2", "100000003", "100000003", "100000003", "to-set", "ok", ""],
      ["3", "100001000", "100001000", "100000999", "to-set", "ok", ""],
      ["4", "999999999", "999999999", "", "reconcile", "failed", "NOT_FOUND"],
      ["5", "100000004", "100000004", "100000004", "to-unset", "ok", ""],
      ["6", "100000999", "100000999", "100000999", "in catalogue", "skipped", ""],
      ["7", "100000005", "100000005", "100000005", "not held", "skipped", ""],
    ]);
    expect(r.text("to-set.txt")).toBe("100000003\n100000999\n");
    expect(r.text("to-unset.txt")).toBe("100000004\n");
    expect([held(100000003), held(100000004)]).toEqual([false, true]); // nothing written without --apply

    const a = await h.run("worldcat-reconcile", [...args, "--apply"], uploads);
    expect(rowTuples(reportRows(a.text("report.csv"))).map((t) => [t[3], t[4], t[5]])).toEqual([
      ["100000002", "held", "skipped"],
      ["100000003", "set", "ok"],
      ["100000999", "set", "ok"],
      ["", "reconcile", "failed"],
      ["100000004", "unset", "ok"],
      ["100000999", "in catalogue", "skipped"],
      ["100000005", "not held", "skipped"],
    ]);
    expect([held(100000003), held(100000999), held(100000004)]).toEqual([true, true, false]);
    expect(a.text("to-unset.txt")).toBe("100000004\n");
  });
});
