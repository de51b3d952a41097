import { afterEach, expect, it } from "vitest";
import { type MarcRecord, oclcNumberOf, parseMarcXmlString } from "../src/marc/index.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import {
  type Harness,
  type HarnessOptions,
  startHarness,
  waitForReported,
} from "./fixtures/worldcat-scripts/harness.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

async function harness(options: HarnessOptions = {}) {
  h = await startHarness({ ...options, sandbox: { seed: 2000, ...options.sandbox } });
  return h;
}

const numbersOf = (records: readonly MarcRecord[]) => records.map((x) => oclcNumberOf(x)?.number);

/** Synthetic numbers in a scrambled order (not ascending), a merged one and a missing one among them. */
function scrambled(n: number): string[] {
  const out = Array.from({ length: n }, (_, i) => String(100_000_001 + ((i * 37) % n)));
  out.splice(7, 0, "100001000");
  out.splice(13, 0, "999999999");
  return out;
}

it("worldcat-fetch reads master records into records.xml, following merged numbers", async () => {
  await harness();
  const input = h.file("n.txt", "100000011\n100001000\n999999999\n");
  const r = await h.run("worldcat-fetch", ["-i", "n.txt", "--format", "marcxml"], { "n.txt": input });
  const rows = reportRows(r.text("report.csv"));
  expect(rowTuples(rows)).toEqual([
    ["1", "100000011", "100000011", "100000011", "read", "ok", ""],
    ["2", "100001000", "100001000", "100000999", "read", "ok", ""],
    ["3", "999999999", "999999999", "", "read", "failed", "NOT_FOUND"],
  ]);
  expect(rows[1].message).toBe("Synthetic record 999 /; 100001000 was merged into 100000999");
  const records = parseMarcXmlString(r.text("records.xml"));
  expect(numbersOf(records)).toEqual(["100000011", "100000999"]);
  expect(r.text("failures.txt")).toBe("999999999\n");
});

it("worldcat-fetch writes records.xml in input order although the answers come in any order", async () => {
  await harness({ sandbox: { latencyMs: 12, jitterMs: 10 } });
  const list = scrambled(100);
  const input = h.file("n.txt", `${list.join("\n")}\n`);
  const r = await h.run("worldcat-fetch", ["-i", "n.txt", "-f", "marcxml"], { "n.txt": input });
  const rows = reportRows(r.text("report.csv"));
  expect(rows.map((x) => x.inputId)).toEqual(list);
  const ok = rows.filter((x) => x.outcome === "ok");
  expect(ok.length).toBe(list.length - 1);
  // Record i of the file is the record of the i-th ok item of the input (100001000 gives 100000999).
  expect(numbersOf(parseMarcXmlString(r.text("records.xml")))).toEqual(ok.map((x) => x.current));
  expect(ok[7]).toMatchObject({ inputId: "100001000", current: "100000999" });
});

it("worldcat-fetch resumed after a cancel: the earlier file and the new one hold the input in order", async () => {
  await harness({ sandbox: { latencyMs: 8, jitterMs: 6 } });
  const list = scrambled(40);
  const input = h.file("n.txt", `${list.join("\n")}\n`);
  // Item 10 hangs until the cancel: the items after it are fetched but cannot be reported before it.
  h.sandbox.injectFaults([{ timeout: "before", method: "GET", path: `/manage/bibs/${list[9]}` }]);
  const first = await h.start("worldcat-fetch", ["-i", "n.txt", "-f", "marcxml"], { "n.txt": input });
  await waitFor(
    "every item of the first run to be asked for",
    async () => h.sandbox.state.counters.requests >= list.length + 1,
    20_000,
  );
  await waitForReported(h, first.id, 9); // the answers before item 10 may still be on their way
  await h.engine.service.cancelProcess(first.id);
  const r1 = await h.wait(first.id, "CANCELLED");
  const rows1 = reportRows(r1.text("report.csv"));
  expect(rows1.map((x) => x.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

  const r2 = await h.run("worldcat-fetch", ["-i", "n.txt", "-f", "marcxml", "-r", String(first.id)], {
    "n.txt": input,
  });
  expect([r2.process.status, r2.process.outcome]).toEqual(["COMPLETED", "errors"]); // 999999999 is not found
  const rows = reportRows(r2.text("report.csv"));
  expect(rows.map((x) => x.inputId)).toEqual(list);
  const kept = Number(/(\d+) completed out of order \(to redo\)/.exec(r2.log)?.[1]);
  expect(kept).toBeGreaterThan(0); // fetched by the first run, not reported: fetched again
  const okCurrent = (from: number, to: number) =>
    rows.slice(from, to).flatMap((x) => (x.outcome === "ok" ? [x.current] : []));
  expect(numbersOf(parseMarcXmlString(r1.text("records.xml")))).toEqual(okCurrent(0, 9));
  expect(numbersOf(parseMarcXmlString(r2.text("records.xml")))).toEqual(okCurrent(9, rows.length));
});

it("worldcat-holding-codes lists the account's codes in report.csv and the log", async () => {
  await harness();
  const r = await h.run("worldcat-holding-codes", []);
  expect(r.process.status).toBe("COMPLETED");
  expect(r.text("report.csv")).toBe("\uFEFFcode,name\r\nMAIN,Main Library\r\nOREA,Oregon Annex\r\n");
  expect(r.log).toContain("INFO MAIN\tMain Library\n");
  expect(r.log).toContain("2 holding library code(s) for OCPSB");
});
