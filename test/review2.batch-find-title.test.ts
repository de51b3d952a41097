/**
 * A create left unknown is settled by looking for the record; without a local id the look goes by
 * title/author/date. A record whose title is a prefix of another's ("... number 1" and "... number 10") must
 * not be taken for it: that would report the other record's number and never create this one (lost).
 */
import { expect, it } from "vitest";
import { newRecord, writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";
import { useHarness } from "./fixtures/worldcat-scripts/use-harness.js";

const harness = useHarness();

it("a create lost before it was applied is not 'found' as another record whose title it prefixes", async () => {
  const { h, wc } = await harness({ client: { timeouts: { readMs: 300 } } });
  const ten = await wc.bibs.create(newRecord(10, { localId: false }));
  const tenNumber = ten.controlValue("001")?.replace(/\D/g, "");
  expect(h.sandbox.state.creations.length).toBe(1);
  // Record 1's first create never reaches WorldCat (not applied, no answer).
  h.sandbox.injectFaults([{ timeout: "before", method: "POST", path: "/worldcat/manage/bibs" }]);
  const input = writeIso2709(h.file("one.mrc", ""), [newRecord(1, { localId: false })]);
  const r = await h.run("worldcat-bibs", ["-a", "create", "-i", "one.mrc"], { "one.mrc": input });
  const [row] = reportRows(r.text("report.csv"));
  expect(row.action).toBe("create");
  expect(row.outcome).toBe("ok");
  expect(row.current).not.toBe(tenNumber);
  expect(h.sandbox.state.creations.length).toBe(2);
  expect(h.sandbox.state.bibs.get(Number(row.current))?.record.title()).toBe(newRecord(1).title());
});
