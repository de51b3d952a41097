/** Acting for another institution (`context:` on the account): the writes land there; log and summary say so. */
import { afterEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

describe("account option context", () => {
  it("sets holdings for the member institution; every batch log line and summary.json name the context", async () => {
    h = await startHarness({ sandbox: { seed: 1000 }, account: { context: "91475" } });
    const r = await h.run("worldcat-holdings", ["-a", "set", "-i", "n.txt"], {
      "n.txt": h.file("n.txt", "100000011\n"),
    });
    expect(reportRows(r.text("report.csv"))[0].outcome).toBe("ok");
    expect(h.sandbox.state.isHeld("NSHFT", 100000011)).toBe(true);
    expect(h.sandbox.state.isHeld("OCPSB", 100000011)).toBe(false);
    expect(r.log).toContain("service account sandbox [SANDBOX] (context 91475)");
    expect(r.log).toContain("acting for institution 91475 (context:91475)");
    expect(r.log).toMatch(/\[context 91475\] /);
    expect(JSON.parse(r.text("summary.json"))).toMatchObject({ account: "sandbox", context: "91475" });
  });
});
