/**
 * Crash and resume of the writing modes of worldcat-match (`--set-holdings`) and worldcat-reconcile (`--apply`)
 * (issue 12): the batch runs in a real `nightshift worker` OS process, which is killed with SIGKILL mid-batch
 * (twice), then the run is resumed to the end. The final sandbox state is exactly the intended one, the report
 * has every item once in input order, the unsettled-writes register is empty, and no holdings request reached
 * the sandbox twice for one number.
 */
import { expect, it } from "vitest";
import { controlField } from "../src/marc/index.js";
import { syntheticRecord } from "../src/sandbox/seed/synthetic.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import { startCliWorker } from "./fixtures/worldcat-scripts/cli-worker.js";
import { type Finished, type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

const ended = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

/**
 * Runs `script argv` in a worker killed (SIGKILL) after each of `killAfter` sandbox requests, each new run
 * resuming the one before, then resumes to the end in this process.
 */
async function killAndResume(
  h: Harness,
  script: string,
  argv: readonly string[],
  uploads: Record<string, string>,
  killAfter: readonly number[],
): Promise<{ resumed: Finished; killed: number[] }> {
  const killed: number[] = [];
  let previous: number | undefined;
  for (const k of killAfter) {
    const worker = await startCliWorker(h);
    h.defer(() => worker.kill9());
    const base = h.sandbox.state.counters.requests;
    const p = await h.start(
      script,
      previous === undefined ? [...argv] : [...argv, "-r", String(previous)],
      uploads,
    );
    await waitFor(
      `process ${p.id} to send ${k} requests`,
      async () =>
        h.sandbox.state.counters.requests - base >= k ||
        ended.has((await h.engine.service.getProcess(p.id))?.status ?? ""),
      30_000,
    );
    await worker.kill9();
    const status = (await h.engine.service.getProcess(p.id))?.status;
    expect(status, `process ${p.id} ended before the kill: choose a later kill point`).toBe("RUNNING");
    killed.push(p.id);
    previous = p.id;
  }
  await h.startDispatcher();
  const resumed = await h.run(script, [...argv, "-r", String(previous)], uploads);
  return { resumed, killed };
}

const unsettled = (h: Harness) => h.engine.store.db.selectFrom("unsettled_writes").selectAll().execute();

/** No holdings request reached the sandbox twice for one number. */
function expectEachHoldingRequestOnce(h: Harness) {
  const twice = [...h.sandbox.state.holdingRequests].filter(([, n]) => n > 1);
  expect(twice).toEqual([]);
}

it("worldcat-match --set-holdings: killed twice mid-batch, resumed: every confident match held, nothing sent twice", async () => {
  const h = await startHarness({ dispatch: false, sandbox: { seed: 1000, latencyMs: 4 } });
  try {
    // Odd synthetic records: not held at the start (even ones are), each matched with high confidence.
    const ks = Array.from({ length: 30 }, (_, i) => 2 * i + 1);
    const records = ks.map((k) =>
      syntheticRecord(k)
        .removeFields("001", "003", "005", "035")
        .addOrderedField(controlField("001", `local-${k}`)),
    );
    const input = writeIso2709(`${h.dir}/local.mrc`, records);
    const symbol = h.sandbox.accounts[0].symbol;
    const ocn = (k: number) => 100_000_000 + k;
    expect(ks.filter((k) => h.sandbox.state.isHeld(symbol, ocn(k)))).toEqual([]);

    const { resumed, killed } = await killAndResume(
      h,
      "worldcat-match",
      ["-i", "local.mrc", "--set-holdings"],
      { "local.mrc": input },
      [25, 20],
    );
    expect(resumed.process.status, resumed.log).toBe("COMPLETED");
    expect(resumed.log).toContain(`resuming process ${killed[1]}`);
    const rows = reportRows(resumed.text("report.csv"));
    expect(rows.map((r) => [r.position, r.inputId, r.outcome])).toEqual(
      ks.map((k, i) => [i + 1, `local-${k}`, "ok"]),
    );
    expect(rows.map((r) => r.current)).toEqual(ks.map((k) => String(ocn(k))));
    // Exactly the intended state: every matched record held, nothing else changed.
    expect(ks.filter((k) => !h.sandbox.state.isHeld(symbol, ocn(k)))).toEqual([]);
    expect([...h.sandbox.state.holdingRequests.keys()].sort()).toEqual(
      ks.map((k) => `${symbol} set ${ocn(k)}`).sort(),
    );
    expectEachHoldingRequestOnce(h);
    expect(await unsettled(h)).toEqual([]);
  } finally {
    await h.close();
  }
}, 120_000);

it("worldcat-reconcile --apply: killed twice mid-batch, resumed: to-set held, to-unset not held, nothing sent twice", async () => {
  const h = await startHarness({ dispatch: false, sandbox: { seed: 20_000, latencyMs: 4 } });
  try {
    const symbol = h.sandbox.accounts[0].symbol;
    // The catalogue: 100000001..100000040. The export: the even ones of those (held by the seed rule) and
    // 100000041..100000060's even ones (held, not in the catalogue: to unset).
    const catalogue = Array.from({ length: 40 }, (_, i) => 100_000_001 + i);
    const exportOnly = Array.from({ length: 10 }, (_, i) => 100_000_042 + 2 * i);
    const exported = [...catalogue.filter((n) => n % 2 === 0), ...exportOnly];
    const toSet = catalogue.filter((n) => n % 2 === 1);
    expect(exported.every((n) => h.sandbox.state.isHeld(symbol, n))).toBe(true);
    const uploads = {
      "catalogue.txt": h.file("catalogue.txt", `${catalogue.join("\n")}\n`),
      "holdings.csv": h.file(
        "holdings.csv",
        `OCLC Number,Title\n${exported.map((n) => `${n},T`).join("\n")}\n`,
      ),
    };
    const { resumed } = await killAndResume(
      h,
      "worldcat-reconcile",
      ["-i", "catalogue.txt", "--holdings", "holdings.csv", "--apply"],
      uploads,
      [12, 10],
    );
    expect(resumed.process.status, resumed.log).toBe("COMPLETED");
    const rows = reportRows(resumed.text("report.csv"));
    expect(rows.map((r) => [r.position, r.inputId])).toEqual(
      [...catalogue, ...exportOnly].map((n, i) => [i + 1, String(n)]),
    );
    // An item the killed run had written but not yet reported is read again on resume: WorldCat already says
    // held (or no longer held), and the row says so instead of "set"/"unset"; either way it was sent once.
    const allowed = (n: number) =>
      toSet.includes(n)
        ? [
            ["set", "ok"],
            ["held", "skipped"],
          ]
        : exportOnly.includes(n)
          ? [
              ["unset", "ok"],
              ["not held", "skipped"],
            ]
          : [["held", "skipped"]];
    for (const [i, n] of [...catalogue, ...exportOnly].entries())
      expect(allowed(n), `row ${i + 1}`).toContainEqual([rows[i].action, rows[i].outcome]);
    expect(rows.filter((r) => r.action === "set").length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.action === "unset").length).toBeGreaterThan(0);
    // Exactly the intended state.
    expect(catalogue.filter((n) => !h.sandbox.state.isHeld(symbol, n))).toEqual([]);
    expect(exportOnly.filter((n) => h.sandbox.state.isHeld(symbol, n))).toEqual([]);
    expect([...h.sandbox.state.holdingRequests.keys()].sort()).toEqual(
      [...toSet.map((n) => `${symbol} set ${n}`), ...exportOnly.map((n) => `${symbol} unset ${n}`)].sort(),
    );
    expectEachHoldingRequestOnce(h);
    expect(await unsettled(h)).toEqual([]);
  } finally {
    await h.close();
  }
}, 120_000);
