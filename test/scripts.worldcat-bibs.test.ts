import { afterEach, describe, expect, it } from "vitest";
import { dataField, type MarcRecord, oclcNumberOf, readIso2709 } from "../src/marc/index.js";
import { resolveAccount } from "../src/worldcat/accounts.js";
import { createWorldCatClient } from "../src/worldcat/client.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import { startCliWorker } from "./fixtures/worldcat-scripts/cli-worker.js";
import { type Harness, type HarnessOptions, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { newRecord, writeIso2709, writeMarcXml } from "./fixtures/worldcat-scripts/records.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

async function harness(options: HarnessOptions = {}) {
  h = await startHarness({ ...options, sandbox: { seed: 1000, ...options.sandbox } });
  return h;
}

async function records(bytes: Buffer): Promise<MarcRecord[]> {
  const out: MarcRecord[] = [];
  async function* source() {
    yield new Uint8Array(bytes);
  }
  for await (const item of readIso2709(source())) out.push(item.record);
  return out;
}

const creates = () => h.sandbox.state.creations.length;

describe("worldcat-bibs", () => {
  it("create: reports each record and writes records.mrc with 001/035 numbers, in input order", async () => {
    await harness();
    const input = writeIso2709(h.file("new.mrc", ""), [
      newRecord(1),
      newRecord(2, { localId: false }),
      newRecord(3),
    ]);
    const r = await h.run("worldcat-bibs", ["--action", "create", "--input", "new.mrc"], {
      "new.mrc": input,
    });
    const rows = reportRows(r.text("report.csv"));
    expect(rows.map((x) => [x.position, x.action, x.outcome])).toEqual([
      [1, "create", "ok"],
      [2, "create", "ok"],
      [3, "create", "ok"],
    ]);
    const numbers = rows.map((x) => x.current);
    expect(new Set(numbers).size).toBe(3);
    for (const [i, n] of numbers.entries()) expect(rows[i].message).toBe(`created ${n}`);
    const out = await records(r.bytes("records.mrc"));
    expect(out.map((x) => [x.controlValue("001"), x.controlValue("003"), oclcNumberOf(x)?.number])).toEqual(
      numbers.map((n) => [`on${n}`, "OCoLC", n]),
    );
    expect(out[0].getFields("035").map((f) => (f.kind === "data" ? f.subfields[0].value : ""))).toEqual([
      `(OCoLC)${numbers[0]}`,
      "(NSHTEST)t1",
    ]);
    expect(out.map((x) => x.title())).toEqual([1, 2, 3].map((i) => `Nightshift t record number ${i} /`));
    expect(creates()).toBe(3);

    // Running the same file again creates nothing twice: each record `exists`, with the number it got.
    const again = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.mrc"], { "new.mrc": input });
    const rows2 = reportRows(again.text("report.csv"));
    expect(rows2.map((x) => [x.action, x.outcome, x.current])).toEqual(
      numbers.map((n) => ["exists", "skipped", n]),
    );
    expect(rows2[1].message).toMatch(
      new RegExp(`^exists as ${numbers[1]}: created by Nightshift process ${r.process.id} on `),
    );
    expect(creates()).toBe(3);
  });

  it("refuses an invalid record before sending anything, naming the record and field", async () => {
    await harness();
    const bad = newRecord(2).removeFields("040");
    const input = writeMarcXml(h.file("new.xml", ""), [newRecord(1), bad, newRecord(3)]);
    const before = h.sandbox.state.counters.requests;
    const r = await h.run("worldcat-bibs", ["-a", "create", "-i", "new.xml"], { "new.xml": input });
    expect(r.process.status).toBe("FAILED");
    expect(r.process.exitMessage).toBe(
      "new.xml: record 2, field 040: the record has no field 040 (cataloging source), needed for creating a WorldCat record; nothing was sent to WorldCat",
    );
    expect(h.sandbox.state.counters.requests).toBe(before);
    expect(creates()).toBe(0);
  });

  it("replace: a record changed in WorldCat since it was read is reported STALE_005, not overwritten", async () => {
    await harness();
    const account = await resolveAccount(h.config.accounts, "sandbox", h.env);
    const wc = createWorldCatClient(account);
    try {
      const a = await wc.bibs.read(100000011);
      const b = await wc.bibs.read(100000013);
      // Someone else edits b in WorldCat after we read it.
      await wc.bibs.replace(b.addField(dataField("500", " ", " ", [["a", "Their note."]])));
      const mine = [a, b].map((x) => x.addField(dataField("590", " ", " ", [["a", "Our local note."]])));
      const input = writeIso2709(h.file("edit.mrc", ""), mine);
      // PUTs of bib records that reached the sandbox (its per-route request counters).
      const bibPuts = () =>
        Object.entries(h.sandbox.state.counters.byRoute)
          .filter(([route]) => route.startsWith("PUT ") && route.includes("bibs"))
          .reduce((n, [, count]) => n + count, 0);
      const putsBefore = bibPuts();
      const r = await h.run("worldcat-bibs", ["-a", "replace", "-i", "edit.mrc"], { "edit.mrc": input });
      const rows = reportRows(r.text("report.csv"));
      expect(rowTuples(rows)).toEqual([
        ["1", "ocn100000011", "100000011", "100000011", "replace", "ok", ""],
        ["2", "ocn100000013", "100000013", "100000013", "replace", "failed", "STALE_005"],
      ]);
      // The stale item was caught by our own 005 check: no PUT was sent for it (only the sandbox's 409 would
      // have saved it otherwise). One PUT: item 1's.
      expect(bibPuts() - putsBefore).toBe(1);
      expect(rows[1].message).toMatch(
        /^changed in WorldCat since your copy \(your 005 is 20240101000000\.0, WorldCat's is \d{14}\.\d\)$/,
      );
      const now = await wc.bibs.read(100000013);
      expect(now.getFields("590")).toEqual([]);
      expect(now.getFields("500").length).toBe(1);
      expect((await wc.bibs.read(100000011)).getFields("590").length).toBe(1);
      expect(r.has("failures.mrc")).toBe(true);
    } finally {
      wc.close();
    }
  });

  it("validate: local problems and OCLC's validation, one row per record", async () => {
    await harness();
    const badIndicator = newRecord(2).replaceFields(
      "245",
      dataField("245", "9", "0", [["a", "Bad indicator"]]),
    );
    const input = writeIso2709(h.file("v.mrc", ""), [
      newRecord(1),
      badIndicator,
      newRecord(3).removeFields("008"),
    ]);
    const r = await h.run("worldcat-bibs", ["-a", "validate", "-i", "v.mrc", "--oclc-validate"], {
      "v.mrc": input,
    });
    const rows = reportRows(r.text("report.csv"));
    expect(rows.map((x) => [x.position, x.outcome, x.errorCode])).toEqual([
      [1, "ok", ""],
      [2, "failed", "INVALID_RECORD"],
      [3, "ok", ""],
    ]);
    expect(rows[0].message).toBe("valid (locally and at OCLC)");
    expect(rows[1].message).toContain("field 245: indicator 1");
    expect(creates()).toBe(0);
  });

  it("kill -9 of a real `nightshift worker` in a 500-record create batch under timeouts: a second worker resumes with zero duplicates", async () => {
    // A timed-out request is held 400 ms, then its connection is dropped with no answer: to the worker (default
    // client timeouts) that is the same unknown outcome as a read timeout, and after a create it was made.
    await harness({ dispatch: false, sandbox: { latencyMs: 15, timeoutRate: 0.01, timeoutHoldMs: 400 } });
    const N = 500;
    const recs = Array.from({ length: N }, (_, i) => newRecord(i + 1, { localId: i % 2 === 0 }));
    const input = writeIso2709(h.file("new.mrc", ""), recs);
    // This test's engine only creates and reads processes: the OS process `nightshift worker` runs them.
    const worker = await startCliWorker(h);
    // --allow-duplicates: no look before each first create (scripts.worldcat-duplicates.test.ts tests that);
    // what is tested here is that the items in flight at the crash are settled by looking.
    const first = await h.start("worldcat-bibs", ["-a", "create", "-i", "new.mrc", "--allow-duplicates"], {
      "new.mrc": input,
    });
    const underWay = await waitFor(
      "the first run to be under way",
      async () => {
        const p = await h.engine.service.getProcess(first.id);
        return (p?.progress?.done ?? 0) >= 120 ? p : undefined;
      },
      20_000,
    );
    expect(underWay.workerId).toBe(worker.workerId);
    expect((await worker.kill9()).signal).toBe("SIGKILL");
    expect((await h.engine.service.getProcess(first.id))?.status).toBe("RUNNING");
    expect(creates()).toBeLessThan(N);

    const second = await startCliWorker(h);
    const resumed = await h.start(
      "worldcat-bibs",
      ["-a", "create", "-i", "new.mrc", "--allow-duplicates", "-r", String(first.id)],
      {
        "new.mrc": input,
      },
    );
    const r = await h.wait(resumed.id);
    expect(r.process.workerId).toBe(second.workerId);
    expect(r.process.status).toBe("COMPLETED");
    const rows = reportRows(r.text("report.csv"));
    expect(rows.length).toBe(N);
    expect(rows.filter((x) => x.outcome !== "ok")).toEqual([]);
    const numbers = rows.map((x) => x.current);
    expect(new Set(numbers).size).toBe(N);
    // Zero duplicates: every record created exactly once, and every number reported is that record.
    const counts = Object.values(h.sandbox.state.snapshot().createCounts as Record<string, number>);
    expect(counts.length).toBe(N);
    expect(counts.every((c) => c === 1)).toBe(true);
    expect(creates()).toBe(N);
    for (const [i, n] of numbers.entries()) {
      expect(h.sandbox.state.bibs.get(Number(n))?.record.title()).toBe(recs[i].title());
    }
    const out = await records(r.bytes("records.mrc"));
    expect(out.map((x) => oclcNumberOf(x)?.number)).toEqual(numbers);
    const settled = rows.filter((x) => x.action === "create (found existing)").length;
    expect(settled + rows.filter((x) => x.action === "create").length).toBe(N);
    // The items the dead worker had in flight were settled by looking, not created again.
    expect(settled).toBeGreaterThan(0);
    expect(JSON.parse(r.text("summary.json"))).toMatchObject({
      total: N,
      resumedFrom: first.id,
      completed: true,
    });
    const c = h.sandbox.state.counters;
    expect(c.timeoutsBefore + c.timeoutsAfter).toBeGreaterThan(0);
    // The second worker notices the first one's lease ran out.
    await waitFor(
      "the dead process to be marked FAILED",
      async () => (await h.engine.service.getProcess(first.id))?.status === "FAILED",
    );
    const stopped = await second.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toBe("");
  }, 40_000);
});
