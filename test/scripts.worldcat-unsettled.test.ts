/**
 * Writes whose outcome stayed unknown are remembered across processes (the unsettled-writes register):
 * re-running a failures file, the users' way to retry, must never create a master record twice nor report
 * a delete that was applied as NOT_FOUND.
 */
import { expect, it } from "vitest";
import type { Harness } from "./fixtures/worldcat-scripts/harness.js";
import { createLbds } from "./fixtures/worldcat-scripts/lbds.js";
import { newRecord, writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";
import { useHarness } from "./fixtures/worldcat-scripts/use-harness.js";

const harness = useHarness();

const unsettledRows = (h: Harness) => h.engine.store.db.selectFrom("unsettled_writes").selectAll().execute();

it("re-running the failures file of a create left unknown finds the record instead of creating it again", async () => {
  const { h } = await harness({ client: { timeouts: { readMs: 400 } } });
  // --allow-duplicates: nothing looks before the first create unless told the create may have run.
  const input = writeIso2709(h.file("new.mrc", ""), [newRecord(1, { localId: false }), newRecord(2)]);
  h.sandbox.injectFaults([
    { timeout: "after", method: "POST", path: "/worldcat/manage/bibs" }, // created, never answered
    { status: 500, method: "POST", path: "/worldcat/manage/bibs/match" }, // and the look after it fails
  ]);
  const first = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc", "--allow-duplicates"], {
    "new.mrc": input,
  });
  const rows = reportRows(first.text("report.csv"));
  expect(rows.map((x) => [x.position, x.action, x.outcome])).toEqual([
    [1, "create", "unknown"],
    [2, "create", "ok"],
  ]);
  expect(rows[0].message).toMatch(
    /^create 1: outcome unknown \(.+\); looking by match, standard numbers, title\/author\/date failed: /,
  );
  expect(h.sandbox.state.creations.length).toBe(2);
  expect((await unsettledRows(h)).map((r) => [r.process_id, r.key.split(":").at(-2)])).toEqual([
    [first.process.id, "create-bib"],
  ]);

  const failures = h.file("failures.mrc", first.bytes("failures.mrc"));
  const again = await h.run("worldcat-bibs", ["-a", "create", "-i", "failures.mrc"], {
    "failures.mrc": failures,
  });
  const rows2 = reportRows(again.text("report.csv"));
  expect(rows2.map((x) => [x.position, x.action, x.outcome])).toEqual([[1, "create (found existing)", "ok"]]);
  expect(rows2[0].message).toBe("already in WorldCat (found by match, standard numbers, title/author/date)");
  expect(h.sandbox.state.creations.length).toBe(2);
  expect(await unsettledRows(h)).toEqual([]);

  // Settled: the same record in yet another run is found before any create (issue 17: no duplicates).
  const third = await h.run("worldcat-bibs", ["-a", "create", "-i", "failures.mrc"], {
    "failures.mrc": failures,
  });
  expect(reportRows(third.text("report.csv")).map((x) => x.action)).toEqual(["exists"]);
  expect(h.sandbox.state.creations.length).toBe(2);
  expect(await unsettledRows(h)).toEqual([]);
});

it("re-running the failures file of a delete applied but never answered reports it deleted, not NOT_FOUND", async () => {
  const { h, wc } = await harness({ client: { timeouts: { readMs: 300 }, retry: { baseDelayMs: 10 } } });
  const ids = await createLbds(wc, 100000042, 100000044);
  const DELETE = { method: "DELETE", path: `/manage/lbds/${ids[0]}` };
  // Applied, then silence; every retry unanswered too, so the first run cannot tell.
  h.sandbox.injectFaults([
    { timeout: "after", ...DELETE },
    { timeout: "before", ...DELETE, times: 4 },
  ]);
  const list = h.file("ids.txt", `${ids.join("\n")}\n`);
  const first = await h.run("worldcat-lbd", ["-a", "delete", "-i", "ids.txt"], { "ids.txt": list });
  const rows = reportRows(first.text("report.csv"));
  expect(rows.map((x) => [x.action, x.outcome])).toEqual([
    ["delete", "failed"],
    ["delete", "ok"],
  ]);
  expect(h.sandbox.state.lbds.size).toBe(0);
  expect(await unsettledRows(h)).toHaveLength(1);

  const failures = h.file("failures.txt", first.bytes("failures.txt"));
  const again = await h.run("worldcat-lbd", ["-a", "delete", "-i", "failures.txt"], {
    "failures.txt": failures,
  });
  const rows2 = reportRows(again.text("report.csv"));
  expect(rows2.map((x) => [x.action, x.outcome, x.errorCode])).toEqual([
    ["delete (already applied)", "ok", ""],
  ]);
  expect(rows2[0].message).toBe(
    `local bib data ${ids[0]} is gone: deleted by an earlier process (its outcome was unknown)`,
  );
  expect(await unsettledRows(h)).toEqual([]);

  // A plain wrong id is still NOT_FOUND: only a write that may have happened is settled this way.
  const third = await h.run("worldcat-lbd", ["-a", "delete", "-i", "failures.txt"], {
    "failures.txt": failures,
  });
  expect(reportRows(third.text("report.csv")).map((x) => [x.outcome, x.errorCode])).toEqual([
    ["failed", "NOT_FOUND"],
  ]);
});
