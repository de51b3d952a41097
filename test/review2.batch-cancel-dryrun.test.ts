/**
 * Cancel mid-batch then resume: every record created exactly once, every item reported once, the register
 * empty. `--dry-run` of every writing action never writes (also when it resumes a crashed real run).
 */
import { expect, it } from "vitest";
import { waitFor } from "./fixtures/scripts/harness.js";
import { startCliWorker } from "./fixtures/worldcat-scripts/cli-worker.js";
import type { Harness } from "./fixtures/worldcat-scripts/harness.js";
import { createLbds } from "./fixtures/worldcat-scripts/lbds.js";
import { newRecord, writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";
import { useHarness } from "./fixtures/worldcat-scripts/use-harness.js";

const harness = useHarness();
const unsettled = (h: Harness) => h.engine.store.db.selectFrom("unsettled_writes").selectAll().execute();

/** Requests that change WorldCat: every POST, PUT or DELETE but the token, match and validate. */
const writes = (h: Harness) =>
  Object.entries(h.sandbox.state.counters.byRoute)
    .filter(([k]) => /^(POST|PUT|DELETE) /.test(k) && !/token|match|validate/.test(k))
    .reduce((n, [, v]) => n + v, 0);

it("cancel mid-batch, then resume: each record created once, each item reported once", async () => {
  const { h } = await harness({ sandbox: { latencyMs: 15, jitterMs: 10 } });
  const N = 40;
  const recs = Array.from({ length: N }, (_, i) => newRecord(i + 1, { localId: i % 2 === 0 }));
  const input = writeIso2709(h.file("new.mrc", ""), recs);
  const first = await h.start("worldcat-bibs", ["-a", "create", "-i", "new.mrc"], { "new.mrc": input });
  await waitFor("creates under way", () => h.sandbox.state.creations.length >= 12);
  await h.engine.service.cancelProcess(first.id);
  const cancelled = await h.wait(first.id, "CANCELLED");
  const summary1 = JSON.parse(cancelled.text("summary.json"));
  expect(summary1.completed).toBe(false);
  expect(summary1.total).toBeLessThan(N);
  const resumed = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc", "-r", String(first.id)], {
    "new.mrc": input,
  });
  expect(resumed.process.status).toBe("COMPLETED");
  const rows = reportRows(resumed.text("report.csv"));
  expect(rows.map((x) => [x.position, x.outcome])).toEqual(recs.map((_, i) => [i + 1, "ok"]));
  const counts = Object.values(h.sandbox.state.snapshot().createCounts as Record<string, number>);
  expect(counts.length).toBe(N);
  expect(counts.every((c) => c === 1)).toBe(true);
  expect(new Set(rows.map((x) => x.current)).size).toBe(N);
  expect(JSON.parse(resumed.text("summary.json"))).toMatchObject({ total: N, completed: true });
  expect(await unsettled(h)).toEqual([]);
});

it("--dry-run never writes: create, replace, holdings set/unset, lbd delete, and a dry run resuming a crash", async () => {
  const { h, wc } = await harness({ dispatch: false, sandbox: { latencyMs: 3 } });
  const ids = await createLbds(wc, 100000042, 100000043);
  const before = writes(h);
  const recs = Array.from({ length: 30 }, (_, i) => newRecord(i + 1, { localId: i % 2 === 0 }));
  const mrc = writeIso2709(h.file("new.mrc", ""), recs);
  const master = await wc.bibs.read("100000001");
  const rep = writeIso2709(h.file("rep.mrc", ""), [master]);
  const nums = h.file("n.txt", "100000001\n100000002\n");
  const idFile = h.file("ids.txt", `${ids.join("\n")}\n`);
  await h.startDispatcher();
  const runs = [
    await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc", "--dry-run"], { "new.mrc": mrc }),
    await h.run("worldcat-bibs", ["-a", "replace", "-i", "rep.mrc", "--dry-run"], { "rep.mrc": rep }),
    await h.run("worldcat-holdings", ["-a", "set", "-i", "n.txt", "--dry-run"], { "n.txt": nums }),
    await h.run("worldcat-holdings", ["-a", "unset", "-i", "n.txt", "--dry-run"], { "n.txt": nums }),
    await h.run("worldcat-lbd", ["-a", "delete", "-i", "ids.txt", "--dry-run"], { "ids.txt": idFile }),
  ];
  for (const r of runs) {
    expect(r.process.status, r.log).toBe("COMPLETED");
    const rows = reportRows(r.text("report.csv"));
    expect(rows.every((x) => x.outcome === "skipped" && x.errorCode === "DRY_RUN")).toBe(true);
  }
  expect(writes(h)).toBe(before);
  expect(h.sandbox.state.creations.length).toBe(0);

  // A real run killed mid-batch, resumed as a dry run: the items it may have sent are looked for, not sent.
  await h.closeEngine();
  await h.reopen();
  const worker = await startCliWorker(h);
  const real = await h.start("worldcat-bibs", ["-a", "create", "-i", "new.mrc"], { "new.mrc": mrc });
  await waitFor("creates under way", () => h.sandbox.state.creations.length >= 5);
  await worker.kill9();
  const made = h.sandbox.state.creations.length;
  const writesAtKill = writes(h);
  await h.startDispatcher();
  const dry = await h.run(
    "worldcat-bibs",
    ["-a", "create", "-i", "new.mrc", "--dry-run", "-r", String(real.id)],
    { "new.mrc": mrc },
  );
  expect(dry.process.status, dry.log).toBe("COMPLETED");
  expect(h.sandbox.state.creations.length).toBe(made);
  expect(writes(h)).toBe(writesAtKill);
  expect(reportRows(dry.text("report.csv")).length).toBe(30);
}, 40_000);
