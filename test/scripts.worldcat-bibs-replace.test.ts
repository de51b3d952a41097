import { describe, expect, it } from "vitest";
import { dataField, type MarcRecord } from "../src/marc/index.js";
import { sameContent } from "../src/scripts/worldcat/same-content.js";
import type { WorldCatClient } from "../src/worldcat/client.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import { waitForReported } from "./fixtures/worldcat-scripts/harness.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";
import { useHarness } from "./fixtures/worldcat-scripts/use-harness.js";

const harness = useHarness();

const note = (text: string) => dataField("590", " ", " ", [["a", text]]);

/** Our edited copies of master records: WorldCat's record as read now, plus a local note. */
async function edited(client: WorldCatClient, ...ocns: number[]): Promise<MarcRecord[]> {
  return Promise.all(ocns.map(async (n) => (await client.bibs.read(n)).addField(note(`Our note ${n}.`))));
}

const notes = async (client: WorldCatClient, ocn: number, tag = "590") =>
  (await client.bibs.read(ocn)).getFields(tag).length;

describe("worldcat-bibs replace: an earlier attempt that may have been applied is settled", () => {
  it("a PUT applied but unanswered: its retry is answered stale 005, reported ok as already applied", async () => {
    const { h, wc } = await harness({ client: { timeouts: { readMs: 300 } } });
    const mine = await edited(wc, 100000011, 100000013, 100000015);
    // 011: applied, then no answer; 013: no answer and not applied; 015: normal.
    h.sandbox.injectFaults([
      { timeout: "after", method: "PUT", path: "/manage/bibs/100000011" },
      { timeout: "before", method: "PUT", path: "/manage/bibs/100000013" },
    ]);
    const input = writeIso2709(h.file("edit.mrc", ""), mine);
    const r = await h.run("worldcat-bibs", ["-a", "replace", "-i", "edit.mrc"], { "edit.mrc": input });
    expect(r.process.status).toBe("COMPLETED");
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", "ocn100000011", "100000011", "100000011", "replace (already applied)", "ok", ""],
      ["2", "ocn100000013", "100000013", "100000013", "replace", "ok", ""],
      ["3", "ocn100000015", "100000015", "100000015", "replace", "ok", ""],
    ]);
    expect(rows[0].message).toMatch(
      /^WorldCat holds the record as sent \(005 \d{14}\.\d\): our first attempt was applied; its retry was answered with a stale 005$/,
    );
    expect(h.sandbox.state.counters.timeoutsAfter).toBe(1);
    expect(h.sandbox.state.counters.timeoutsBefore).toBe(1);
    for (const n of [100000011, 100000013, 100000015]) expect(await notes(wc, n)).toBe(1);
  });

  it("a retry answered stale 005 while WorldCat holds something else stays STALE_005", async () => {
    // Time enough for someone else's read and replace while our PUT waits for its answer.
    const { h, wc } = await harness({ client: { timeouts: { readMs: 1500 } } });
    const [mine] = await edited(wc, 100000017);
    // Our PUT is lost before it is applied, and someone else replaces the record before our retry.
    h.sandbox.injectFaults([{ timeout: "before", method: "PUT", path: "/manage/bibs/100000017" }]);
    const input = writeIso2709(h.file("edit.mrc", ""), [mine]);
    const p = await h.start("worldcat-bibs", ["-a", "replace", "-i", "edit.mrc"], { "edit.mrc": input });
    await waitFor("our PUT to be held", async () => h.sandbox.state.counters.timeoutsBefore === 1, 10_000);
    const theirs = await wc.bibs.read(100000017);
    await wc.bibs.replace(theirs.addField(dataField("500", " ", " ", [["a", "Their note."]])));
    const r = await h.wait(p.id);
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", "ocn100000017", "100000017", "100000017", "replace", "failed", "STALE_005"],
    ]);
    expect(rows[0].message).toMatch(
      /^changed in WorldCat since your copy \(.*The record has been changed since it was read/,
    );
    expect(await notes(wc, 100000017)).toBe(0);
    expect(await notes(wc, 100000017, "500")).toBe(1);
  });

  it("resumed after a cancel: items the first run may have applied are settled by comparing", async () => {
    const { h, wc } = await harness();
    const mine = await edited(wc, 100000021, 100000023, 100000025);
    // The PUTs of 023 and 025 are applied and never answered: the first run is cancelled while waiting.
    h.sandbox.injectFaults([
      { timeout: "after", method: "PUT", path: "/manage/bibs/100000023" },
      { timeout: "after", method: "PUT", path: "/manage/bibs/100000025" },
    ]);
    const input = writeIso2709(h.file("edit.mrc", ""), mine);
    const first = await h.start("worldcat-bibs", ["-a", "replace", "-i", "edit.mrc"], { "edit.mrc": input });
    await waitFor("both PUTs to be held", async () => h.sandbox.state.counters.timeoutsAfter === 2, 10_000);
    await waitForReported(h, first.id, 1);
    await h.engine.service.cancelProcess(first.id);
    const r1 = await h.wait(first.id, "CANCELLED");
    expect(reportRows(r1.text("report.csv")).map((x) => x.position)).toEqual([1]);
    // Someone else edits 025 after our (applied) replace.
    const theirs = await wc.bibs.read(100000025);
    await wc.bibs.replace(theirs.addField(dataField("500", " ", " ", [["a", "Their note."]])));

    const r = await h.run("worldcat-bibs", ["-a", "replace", "-i", "edit.mrc", "-r", String(first.id)], {
      "edit.mrc": input,
    });
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", "ocn100000021", "100000021", "100000021", "replace", "ok", ""],
      ["2", "ocn100000023", "100000023", "100000023", "replace (already applied)", "ok", ""],
      ["3", "ocn100000025", "100000025", "100000025", "replace", "failed", "STALE_005"],
    ]);
    expect(rows[1].message).toMatch(/: applied by an earlier run of this batch$/);
    expect(r.log).toContain("2 to check before redoing");
    for (const n of [100000021, 100000023, 100000025]) expect(await notes(wc, n)).toBe(1);
  });
});

describe("sameContent", () => {
  it("ignores what WorldCat writes on a replace, and nothing else", async () => {
    const { wc } = await harness();
    const [sent] = await edited(wc, 100000031);
    const stored = await wc.bibs.replace(sent);
    expect(stored.controlValue("005")).not.toBe(sent.controlValue("005"));
    expect(sameContent(sent, stored)).toBe(true);
    // WorldCat's own marks: record status, 040 $d.
    const f040 = stored.get("040");
    if (f040?.kind !== "data") throw new Error("no 040");
    const marked = stored
      .withLeader(`${stored.leader.slice(0, 5)}c${stored.leader.slice(6)}`)
      .replaceFields("040", { ...f040, subfields: [...f040.subfields, { code: "d", value: "OCPSB" }] });
    expect(sameContent(sent, marked)).toBe(true);
    expect(sameContent(sent, stored.addField(note("Another note.")))).toBe(false);
    expect(sameContent(sent, stored.removeFields("590"))).toBe(false);
    expect(
      sameContent(sent, stored.withLeader(`${stored.leader.slice(0, 6)}m${stored.leader.slice(7)}`)),
    ).toBe(false);
  });
});
