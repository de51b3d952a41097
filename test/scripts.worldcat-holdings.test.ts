import { afterEach, describe, expect, it } from "vitest";
import { ParameterError, parseArgv } from "../src/engine/parameters.js";
import { controlField, createRecord, dataField } from "../src/marc/index.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import { escapeRegExp, startCliWorker } from "./fixtures/worldcat-scripts/cli-worker.js";
import { type Harness, type HarnessOptions, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows, rowTuples } from "./fixtures/worldcat-scripts/report.js";

let h: Harness;
afterEach(() => h?.close());

async function harness(options: HarnessOptions = {}) {
  h = await startHarness({ ...options, sandbox: { seed: 20_000, ...options.sandbox } });
  return h;
}

const held = (ocn: number) => h.sandbox.state.isHeld(h.sandbox.accounts[0].symbol, ocn);
const SET_ROUTE = "POST /worldcat/manage/institution/holdings/:ocn/set";

describe("worldcat-holdings", () => {
  it("sets holdings on current numbers, reporting merged records with both numbers, row by row", async () => {
    await harness();
    const input = h.file("numbers.txt", "100000001\n# a comment\nocm100000002\n100001000\nabc\n999999999\n");
    const r = await h.run("worldcat-holdings", ["--action", "set", "--input", "numbers.txt"], {
      "numbers.txt": input,
    });
    expect(rowTuples(reportRows(r.text("report.csv")))).toEqual([
      ["1", "100000001", "100000001", "100000001", "set", "ok", ""],
      ["2", "ocm100000002", "100000002", "100000002", "set", "skipped", ""],
      ["3", "100001000", "100001000", "100000999", "set", "ok", ""],
      ["4", "abc", "", "", "set", "failed", "INVALID_INPUT"],
      ["5", "999999999", "999999999", "", "set", "failed", "NOT_FOUND"],
    ]);
    const rows = reportRows(r.text("report.csv"));
    expect(rows[1].message).toBe("WorldCat Holding already set.");
    expect(rows[2].message).toBe("Holding Updated Successfully; 100001000 was merged into 100000999");
    expect(rows[3].message).toBe('numbers.txt line 5: not an OCLC number: "abc"');
    expect(held(100000001) && held(100000999)).toBe(true);
    // The batch went through its whole input: COMPLETED, with errors (issue 17), not FAILED.
    expect([r.process.status, r.process.outcome, r.process.exitMessage]).toEqual([
      "COMPLETED",
      "errors",
      null,
    ]);
    expect(r.process.outcomeCounts).toEqual({ total: 5, failed: 2, unknown: 0, warnings: 0 });
    expect(JSON.parse(r.text("summary.json"))).toMatchObject({
      total: 5,
      byOutcome: { ok: 2, skipped: 1, failed: 2, unknown: 0 },
      byCode: { INVALID_INPUT: 1, NOT_FOUND: 1 },
    });
    expect(r.text("failures.txt")).toBe("abc\n999999999\n");
    expect(r.log).toContain("service account sandbox [SANDBOX]");
    // One file per type, so REST /files/{type} is unambiguous (issue 17 item 5)
    const types = (await h.engine.service.listFiles(r.process.id)).map((f) => [f.type, f.name]);
    expect(types.filter(([t]) => t === "report")).toEqual([["report", "report.csv"]]);
    expect(types.filter(([t]) => t === "summary")).toEqual([["summary", "summary.json"]]);

    // Re-running the failures file processes only the failures.
    const again = await h.run("worldcat-holdings", ["--action", "set", "--input", "failures.txt"], {
      "failures.txt": h.file("failures.txt", r.text("failures.txt")),
    });
    expect(rowTuples(reportRows(again.text("report.csv"))).map((t) => t[1])).toEqual(["abc", "999999999"]);
  });

  it("--only-changes reads the holding status first and skips what is already in the wanted state (CSV)", async () => {
    await harness();
    const csv = "title,ocn\nA,100000002\nB,100000003\nC,100001000\n";
    const before =
      h.sandbox.state.counters.byRoute["POST /worldcat/manage/institution/holdings/:ocn/unset"] ?? 0;
    const dry = await h.run(
      "worldcat-holdings",
      ["-a", "unset", "-i", "h.csv", "--only-changes", "--dry-run"],
      {
        "h.csv": h.file("h.csv", csv),
      },
    );
    expect(rowTuples(reportRows(dry.text("report.csv")))).toEqual([
      ["1", "100000002", "100000002", "100000002", "unset", "skipped", "DRY_RUN"],
      ["2", "100000003", "100000003", "100000003", "unset", "skipped", ""],
      ["3", "100001000", "100001000", "100000999", "unset", "skipped", ""],
    ]);
    expect(held(100000002)).toBe(true);
    const r = await h.run("worldcat-holdings", ["-a", "unset", "-i", "h.csv", "--only-changes"], {
      "h.csv": h.file("h.csv", csv),
    });
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", "100000002", "100000002", "100000002", "unset", "ok", ""],
      ["2", "100000003", "100000003", "100000003", "unset", "skipped", ""],
      ["3", "100001000", "100001000", "100000999", "unset", "skipped", ""],
    ]);
    expect(rows[1].message).toBe("holding already unset");
    expect(rows[2].message).toBe("holding already unset; 100001000 was merged into 100000999");
    expect(held(100000002)).toBe(false);
    // Only the one change was written.
    expect(h.sandbox.state.counters.byRoute["POST /worldcat/manage/institution/holdings/:ocn/unset"]).toBe(
      before + 1,
    );
    expect(r.process.status).toBe("COMPLETED");
  });

  it("takes MARC input and a holding library code (first API); a code the account lacks is refused before a process exists", async () => {
    await harness();
    const rec = (ocn: string) =>
      createRecord({
        fields: [controlField("001", `ocn${ocn}`), dataField("245", "1", "0", [["a", `Title ${ocn}`]])],
      });
    const input = writeIso2709(h.file("h.mrc", ""), [rec("100000005"), rec("100000004")]);
    const r = await h.run("worldcat-holdings", ["-a", "set", "-i", "h.mrc", "--holding-code", "MAIN"], {
      "h.mrc": input,
    });
    const rows = reportRows(r.text("report.csv"));
    expect(rowTuples(rows)).toEqual([
      ["1", "ocn100000005", "100000005", "100000005", "set", "ok", ""],
      ["2", "ocn100000004", "100000004", "100000004", "set", "skipped", "WS-409"],
    ]);
    expect(rows[1].message).toBe("Trying to set hold while holding already exists");
    expect(held(100000005)).toBe(true);
    const before = (await h.engine.service.listProcesses()).total;
    const start = (listAccounts: boolean) =>
      h.engine.service.createProcess({
        script: "worldcat-holdings",
        parameters: parseArgv(h.engine.scripts.require("worldcat-holdings"), [
          "-a",
          "set",
          "-i",
          "h.mrc",
          "--holding-code",
          "NOPE",
        ]),
        startedBy: { source: "rest" },
        uploads: [{ name: "h.mrc", path: input }],
        listAccounts,
      });
    // The codes are named only to those allowed to see them (an admin, the command line).
    await expect(start(true)).rejects.toThrow(
      "--holding-code NOPE is not one of sandbox [SANDBOX]'s holding library codes (MAIN, OREA)",
    );
    await expect(start(false)).rejects.toThrow(
      /--holding-code NOPE is not one of sandbox \[SANDBOX\]'s holding library codes$/,
    );
    await expect(start(false)).rejects.toBeInstanceOf(ParameterError);
    expect((await h.engine.service.listProcesses()).total).toBe(before);
  });

  it("a holding code that cannot be checked at preflight (WorldCat unreachable) is left to the run's check", async () => {
    await harness({ client: { retry: { baseDelayMs: 20 } } });
    const input = h.file("n.txt", "100000005\n");
    h.sandbox.injectFaults([{ status: 500, path: "/holding-codes", times: 1000 }]);
    const p = await h.start("worldcat-holdings", ["-a", "set", "-i", "n.txt", "--holding-code", "NOPE"], {
      "n.txt": input,
    });
    const ended = await h.wait(p.id);
    expect(ended.process.status).toBe("FAILED");
    expect(held(100000005)).toBe(false);
  });

  it("finishes under 2% HTTP 500s, 1% timeouts and a 429 burst with every item accounted for and the intended state", async () => {
    await harness({
      sandbox: { errorRates: { 500: 0.02 }, timeoutRate: 0.01, timeoutHoldMs: 3000 },
      client: { timeouts: { readMs: 250 }, retry: { baseDelayMs: 20 } },
    });
    const N = 1000;
    const numbers = Array.from({ length: N }, (_, i) => 100_000_001 + i * 7);
    h.sandbox.injectFaults([{ status: 429, retryAfter: 1, times: 24, path: "/holdings/" }]);
    const r = await h.run("worldcat-holdings", ["-a", "set", "-i", "n.txt"], {
      "n.txt": h.file("n.txt", `${numbers.join("\n")}\n`),
    });
    const rows = reportRows(r.text("report.csv"));
    expect(rows.map((x) => x.position)).toEqual(numbers.map((_, i) => i + 1));
    expect(rows.map((x) => x.inputId)).toEqual(numbers.map(String));
    expect(rows.filter((x) => x.outcome !== "ok" && x.outcome !== "skipped")).toEqual([]);
    const summary = JSON.parse(r.text("summary.json"));
    expect(summary.byOutcome.ok + summary.byOutcome.skipped).toBe(N);
    for (const n of numbers) expect(held(h.sandbox.state.bibs.current(n) ?? -1)).toBe(true);
    const c = h.sandbox.state.counters;
    expect(c.injectedErrors["500"]).toBeGreaterThan(5);
    expect(c.injectedErrors["429"]).toBe(24);
    expect(c.timeoutsBefore + c.timeoutsAfter).toBeGreaterThan(2);
    expect(r.log).toMatch(/throttled by the service: concurrency 8 -> 4/);
    expect(r.process.status).toBe("COMPLETED");
  }, 30_000);

  it("kill -9 of a real `nightshift worker` in the middle of 10,000 items: a second worker resumes to the exact state, each item once", async () => {
    await harness({ dispatch: false, sandbox: { latencyMs: 2 } });
    const N = 10_000;
    const numbers = Array.from({ length: N }, (_, i) => 100_000_001 + i);
    const input = h.file("n.txt", `${numbers.join("\n")}\n`);
    // This test's engine only creates and reads processes: the OS process `nightshift worker` runs them.
    const worker = await startCliWorker(h);
    const first = await h.start("worldcat-holdings", ["-a", "set", "-i", "n.txt"], { "n.txt": input });
    const underWay = await waitFor(
      "the first run to be under way",
      async () => {
        const p = await h.engine.service.getProcess(first.id);
        return (p?.progress?.done ?? 0) >= 1500 ? p : undefined;
      },
      20_000,
    );
    expect(underWay.workerId).toBe(worker.workerId);
    expect((await worker.kill9()).signal).toBe("SIGKILL");
    const atKill = await h.engine.service.getProcess(first.id);
    expect(atKill?.status).toBe("RUNNING");
    expect(atKill?.progress?.done ?? 0).toBeLessThan(N);

    const second = await startCliWorker(h);
    const resumed = await h.start(
      "worldcat-holdings",
      ["-a", "set", "-i", "n.txt", "--resume", String(first.id)],
      {
        "n.txt": input,
      },
    );
    const r = await h.wait(resumed.id);
    expect(r.process.workerId).toBe(second.workerId);
    const rows = reportRows(r.text("report.csv"));
    expect(rows.length).toBe(N);
    expect(rows.every((x, i) => x.position === i + 1 && x.inputId === String(numbers[i]))).toBe(true);
    expect(rows.filter((x) => x.outcome !== "ok" && x.outcome !== "skipped")).toEqual([]);
    const summary = JSON.parse(r.text("summary.json"));
    expect(summary).toMatchObject({ total: N, resumedFrom: first.id, completed: true });
    expect(summary.resumedItems).toBeGreaterThanOrEqual(1000);
    for (const n of numbers)
      if (!held(h.sandbox.state.bibs.current(n) ?? -1)) throw new Error(`${n} not held`);
    // Each item was sent once, but for the few in flight when the worker died (the reorder window).
    expect(h.sandbox.state.counters.byRoute[SET_ROUTE]).toBeLessThanOrEqual(N + 64);
    expect(r.process.status).toBe("COMPLETED");
    // The second worker notices the first one's lease ran out.
    const dead = await waitFor("the dead process to be marked FAILED", async () => {
      const p = await h.engine.service.getProcess(first.id);
      return p?.status === "FAILED" ? p : undefined;
    });
    expect(dead.exitMessage).toMatch(new RegExp(`^worker ${escapeRegExp(worker.workerId)} lost;`));
    const stopped = await second.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toBe("");
  }, 40_000);
});
