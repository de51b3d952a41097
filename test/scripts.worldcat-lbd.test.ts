import { afterEach, beforeEach, expect, it } from "vitest";
import { controlField, createRecord, dataField, type MarcRecord, readIso2709 } from "../src/marc/index.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ sandbox: { seed: 1000 } });
});
afterEach(() => h.close());

/** Only a master number and local fields: the script adds 004/935/940. */
const localOnly = (ocn: string, id: string) =>
  createRecord({
    leader: "00000n   a2200000   4500",
    fields: [
      controlField("001", `ocn${ocn}`),
      dataField("035", " ", " ", [["a", `(MYLIB)${id}`]]),
      dataField("590", " ", " ", [["a", `Local note ${id}.`]]),
    ],
  });

async function parse(bytes: Buffer): Promise<MarcRecord[]> {
  const out: MarcRecord[] = [];
  async function* source() {
    yield new Uint8Array(bytes);
  }
  for await (const item of readIso2709(source())) out.push(item.record);
  return out;
}

it("creates local bib data from a master number and local fields, never twice; reads, unsets with cascade, deletes", async () => {
  const input = writeIso2709(h.file("lbd.mrc", ""), [
    localOnly("100000002", "b1"),
    localOnly("100000004", "b2"),
  ]);
  const r = await h.run("worldcat-lbd", ["-a", "create", "-i", "lbd.mrc"], { "lbd.mrc": input });
  const rows = reportRows(r.text("report.csv"));
  expect(rowTuples(rows)).toEqual([
    ["1", "ocn100000002", "100000002", "100000002", "create", "ok", ""],
    ["2", "ocn100000004", "100000004", "100000004", "create", "ok", ""],
  ]);
  const lbds = h.sandbox.state.snapshot().lbds as {
    id: number;
    symbol: string;
    ocn: number;
    localId: string;
  }[];
  expect(lbds.map((l) => [l.symbol, l.ocn, l.localId])).toEqual([
    ["OCPSB", 100000002, "(MYLIB)b1"],
    ["OCPSB", 100000004, "(MYLIB)b2"],
  ]);
  expect(rows[0].message).toBe(`local bib data ${lbds[0].id} created (935 (MYLIB)b1)`);

  const again = await h.run("worldcat-lbd", ["-a", "create", "-i", "lbd.mrc"], { "lbd.mrc": input });
  const rows2 = reportRows(again.text("report.csv"));
  expect(rows2.map((x) => [x.action, x.outcome, x.message])).toEqual([
    ["create (found existing)", "ok", `local bib data ${lbds[0].id} already has 935 (MYLIB)b1`],
    ["create (found existing)", "ok", `local bib data ${lbds[1].id} already has 935 (MYLIB)b2`],
  ]);
  expect(h.sandbox.state.lbds.size).toBe(2);

  const ids = h.file("ids.txt", `${lbds[0].id}\n3999999999\n`);
  const read = await h.run("worldcat-lbd", ["-a", "read", "-i", "ids.txt"], { "ids.txt": ids });
  expect(rowTuples(reportRows(read.text("report.csv")))).toEqual([
    ["1", String(lbds[0].id), "100000002", "100000002", "read", "ok", ""],
    ["2", "3999999999", "", "", "read", "failed", "NOT_FOUND"],
  ]);
  const records = await parse(read.bytes("records.mrc"));
  expect(records.map((x) => [x.controlValue("001"), x.controlValue("004")])).toEqual([
    [String(lbds[0].id), "100000002"],
  ]);
  expect(records[0].getFields("590").length).toBe(1);

  // Holdings with local data attached: unset refuses without --cascade, deletes the local data with it.
  const nums = { "n.txt": h.file("n.txt", "100000004\n") };
  const refused = await h.run("worldcat-holdings", ["-a", "unset", "-i", "n.txt"], nums);
  expect(rowTuples(reportRows(refused.text("report.csv")))[0].slice(5)).toEqual(["failed", "CONFLICT"]);
  const cascaded = await h.run("worldcat-holdings", ["-a", "unset", "-i", "n.txt", "--cascade"], nums);
  expect(rowTuples(reportRows(cascaded.text("report.csv")))[0].slice(5)).toEqual(["ok", ""]);
  expect([...h.sandbox.state.lbds.keys()]).toEqual([lbds[0].id]);

  const del = await h.run("worldcat-lbd", ["-a", "delete", "-i", "ids.txt"], { "ids.txt": ids });
  expect(reportRows(del.text("report.csv")).map((x) => [x.outcome, x.errorCode])).toEqual([
    ["ok", ""],
    ["failed", "NOT_FOUND"],
  ]);
  expect(h.sandbox.state.lbds.size).toBe(0);
});

it("refuses local data without a master number before sending anything", async () => {
  const noMaster = createRecord({
    leader: "00000n   a2200000   4500",
    fields: [dataField("590", " ", " ", [["a", "x"]])],
  });
  const input = writeIso2709(h.file("bad.mrc", ""), [localOnly("100000002", "b1"), noMaster]);
  const before = h.sandbox.state.counters.requests;
  const r = await h.run("worldcat-lbd", ["-a", "create", "-i", "bad.mrc"], { "bad.mrc": input });
  expect(r.process.status).toBe("FAILED");
  expect(r.process.exitMessage).toMatch(/^bad\.mrc: record 2, field 004: .*; nothing was sent to WorldCat$/);
  expect(h.sandbox.state.counters.requests - before).toBeLessThanOrEqual(1); // at most the token
  expect(h.sandbox.state.lbds.size).toBe(0);
});

it("read writes records.mrc in input order although the answers come in any order", async () => {
  await h.close();
  h = await startHarness({ sandbox: { seed: 1000, latencyMs: 10, jitterMs: 9 } });
  const N = 40;
  const input = writeIso2709(
    h.file("lbd.mrc", ""),
    Array.from({ length: N }, (_, i) => localOnly(String(100_000_001 + i), `c${i}`)),
  );
  const created = await h.run("worldcat-lbd", ["-a", "create", "-i", "lbd.mrc"], { "lbd.mrc": input });
  expect(created.process.status).toBe("COMPLETED");
  const ids = [...h.sandbox.state.lbds.keys()].map(String);
  expect(ids.length).toBe(N);
  const scrambled = ids.map((_, i) => ids[(i * 17) % N]);
  const list = h.file("ids.txt", `${scrambled.join("\n")}\n`);
  const r = await h.run("worldcat-lbd", ["-a", "read", "-i", "ids.txt"], { "ids.txt": list });
  expect(reportRows(r.text("report.csv")).map((x) => [x.inputId, x.outcome])).toEqual(
    scrambled.map((id) => [id, "ok"]),
  );
  expect((await parse(r.bytes("records.mrc"))).map((x) => x.controlValue("001"))).toEqual(scrambled);
});
