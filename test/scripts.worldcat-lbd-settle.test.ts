import { describe, expect, it } from "vitest";
import { dataField } from "../src/marc/index.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import { waitForReported } from "./fixtures/worldcat-scripts/harness.js";
import { createLbds, editedLbds, lbdFields } from "./fixtures/worldcat-scripts/lbds.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";
import { useHarness } from "./fixtures/worldcat-scripts/use-harness.js";

const harness = useHarness();

const PUT = (id: string) => ({ method: "PUT", path: `/manage/lbds/${id}` });
const DELETE = (id: string) => ({ method: "DELETE", path: `/manage/lbds/${id}` });
const NEVER = "3999999999";

describe("worldcat-lbd replace: an earlier attempt that may have been applied is settled", () => {
  it("a PUT applied but unanswered: its retry is answered stale 005, reported ok as already applied", async () => {
    const { h, wc } = await harness({ client: { timeouts: { readMs: 500 } } });
    const ids = await createLbds(wc, 100000002, 100000004, 100000006, 100000008);
    const mine = await editedLbds(wc, ids);
    // Someone else edits the 4th after we read it: that one stays STALE_005.
    await wc.lbds.replace(
      ids[3],
      (await wc.lbds.read(ids[3])).addField(dataField("591", " ", " ", [["a", "Theirs."]])),
    );
    // 1st: applied, then no answer; 2nd: no answer and not applied; 3rd: normal.
    h.sandbox.injectFaults([
      { timeout: "after", ...PUT(ids[0]) },
      { timeout: "before", ...PUT(ids[1]) },
    ]);
    const input = writeIso2709(h.file("edit.mrc", ""), mine);
    const r = await h.run("worldcat-lbd", ["-a", "replace", "-i", "edit.mrc"], { "edit.mrc": input });
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows).map((t) => t.slice(2))).toEqual([
      ["100000002", "100000002", "replace (already applied)", "ok", ""],
      ["100000004", "100000004", "replace", "ok", ""],
      ["100000006", "100000006", "replace", "ok", ""],
      ["100000008", "100000008", "replace", "failed", "STALE_005"],
    ]);
    expect(rows[0].message).toMatch(
      new RegExp(
        `^local bib data ${ids[0]} holds the record as sent \\(005 \\d{14}\\.\\d\\): an earlier attempt was applied; this one was answered with a stale 005$`,
      ),
    );
    expect(rows[3].message).toMatch(/^changed in WorldCat since your copy \(Conflict: 005 does not match/);
    expect(h.sandbox.state.counters.timeoutsAfter).toBe(1);
    expect(h.sandbox.state.counters.timeoutsBefore).toBe(1);
    for (const id of ids.slice(0, 3)) expect(await lbdFields(wc, id)).toBe(1);
    expect(await lbdFields(wc, ids[3])).toBe(0);
  });

  it("resumed after a cancel: a replace the first run may have applied is settled by comparing", async () => {
    const { h, wc } = await harness();
    const ids = await createLbds(wc, 100000012, 100000014);
    const mine = await editedLbds(wc, ids);
    h.sandbox.injectFaults([{ timeout: "after", ...PUT(ids[1]) }]);
    const input = writeIso2709(h.file("edit.mrc", ""), mine);
    const uploads = { "edit.mrc": input };
    const first = await h.start("worldcat-lbd", ["-a", "replace", "-i", "edit.mrc"], uploads);
    await waitFor("the PUT to be held", async () => h.sandbox.state.counters.timeoutsAfter === 1, 10_000);
    await waitForReported(h, first.id, 1);
    await h.engine.service.cancelProcess(first.id);
    const r1 = await h.wait(first.id, "CANCELLED");
    expect(reportRows(r1.text("report.csv")).map((x) => x.position)).toEqual([1]);

    const argv = ["-a", "replace", "-i", "edit.mrc", "-r", String(first.id)];
    const r = await h.run("worldcat-lbd", argv, uploads);
    const rows = reportRows(r.text("report.csv"));
    expect(rows.map((x) => [x.position, x.action, x.outcome, x.errorCode])).toEqual([
      [1, "replace", "ok", ""],
      [2, "replace (already applied)", "ok", ""],
    ]);
    for (const id of ids) expect(await lbdFields(wc, id)).toBe(1);
  });
});

describe("worldcat-lbd delete: a 404 after an attempt that may have been applied is ok", () => {
  it("a DELETE applied but unanswered: its retry's 404 is ok; a 404 to a first attempt stays failed", async () => {
    const { h, wc } = await harness({ client: { timeouts: { readMs: 500 } } });
    const ids = await createLbds(wc, 100000022, 100000024, 100000026);
    h.sandbox.injectFaults([
      { timeout: "after", ...DELETE(ids[0]) },
      { timeout: "before", ...DELETE(ids[1]) },
    ]);
    const list = h.file("ids.txt", `${[...ids, NEVER].join("\n")}\n`);
    const r = await h.run("worldcat-lbd", ["-a", "delete", "-i", "ids.txt"], { "ids.txt": list });
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", ids[0], "", "", "delete (already applied)", "ok", ""],
      ["2", ids[1], "", "", "delete", "ok", ""],
      ["3", ids[2], "", "", "delete", "ok", ""],
      ["4", NEVER, "", "", "delete", "failed", "NOT_FOUND"],
    ]);
    expect(rows[0].message).toBe(
      `local bib data ${ids[0]} is gone: an earlier attempt was applied; its retry was answered not found`,
    );
    expect(h.sandbox.state.counters.timeoutsAfter).toBe(1);
    expect(h.sandbox.state.counters.timeoutsBefore).toBe(1);
    expect(h.sandbox.state.lbds.size).toBe(0);
  });

  it("resumed after a cancel: the 404 of a DELETE the first run may have applied is ok", async () => {
    const { h, wc } = await harness();
    const ids = await createLbds(wc, 100000032, 100000034);
    h.sandbox.injectFaults([{ timeout: "after", ...DELETE(ids[1]) }]);
    const list = h.file("ids.txt", `${[ids[0], NEVER, ids[1]].join("\n")}\n`);
    const uploads = { "ids.txt": list };
    const first = await h.start("worldcat-lbd", ["-a", "delete", "-i", "ids.txt"], uploads);
    await waitFor("the DELETE to be held", async () => h.sandbox.state.counters.timeoutsAfter === 1, 10_000);
    await waitForReported(h, first.id, 2);
    await h.engine.service.cancelProcess(first.id);
    const r1 = await h.wait(first.id, "CANCELLED");
    expect(reportRows(r1.text("report.csv")).map((x) => x.position)).toEqual([1, 2]);

    const r = await h.run("worldcat-lbd", ["-a", "delete", "-i", "ids.txt", "-r", String(first.id)], uploads);
    const rows = reportRows(r.text("report.csv"));
    expect(rows.map((x) => [x.position, x.action, x.outcome, x.errorCode])).toEqual([
      [1, "delete", "ok", ""],
      [2, "delete", "failed", "NOT_FOUND"],
      [3, "delete (already applied)", "ok", ""],
    ]);
    expect(rows[2].message).toBe(`local bib data ${ids[1]} is gone: deleted by an earlier run of this batch`);
    expect(h.sandbox.state.lbds.size).toBe(0);
  });
});
