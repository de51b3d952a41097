/**
 * Issue 17 item 4: one rule for statuses. A batch that went through its whole input is COMPLETED with an
 * outcome (`ok`, `warnings`, `errors`) and counts, stored on the process and shown in the log, the CLI and
 * REST (`COMPLETED with errors: 2 of 4 failed`); FAILED means the process itself could not finish.
 * `nightshift run` exits 0 for ok, 3 for COMPLETED with errors, 1 for FAILED/CANCELLED, 2 for refused input.
 */
import { afterEach, describe, expect, it } from "vitest";
import { statusText } from "../src/engine/process-record.js";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { writeWorkerConfig } from "./fixtures/worldcat-scripts/cli-worker.js";
import { type Harness, startHarness } from "./fixtures/worldcat-scripts/harness.js";
import { newRecord, writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { startRest } from "./fixtures/worldcat-scripts/rest.js";

let h: Harness;
afterEach(() => h?.close());

describe("process outcome", () => {
  it("a holdings batch with failed numbers is COMPLETED with errors and counts, in the log and REST", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const input = h.file("n.txt", "100000002\n999999999\n100000003\n999999998\n");
    const r = await h.run("worldcat-holdings", ["-a", "set", "-i", "n.txt"], { "n.txt": input });
    expect(r.process).toMatchObject({
      status: "COMPLETED",
      outcome: "errors",
      outcomeCounts: { total: 4, failed: 2, unknown: 0, warnings: 0 },
    });
    expect(statusText(r.process)).toBe("COMPLETED with errors: 2 of 4 failed");
    expect(r.log).toMatch(/ WARN COMPLETED with errors: 2 of 4 failed \(after [0-9.]+ s\)\n$/);

    const ok = await h.run("worldcat-holdings", ["-a", "set", "-i", "ok.txt"], {
      "ok.txt": h.file("ok.txt", "100000002\n"),
    });
    expect([ok.process.status, ok.process.outcome, statusText(ok.process)]).toEqual([
      "COMPLETED",
      "ok",
      "COMPLETED",
    ]);

    const rest = await startRest(h);
    h.defer(() => rest.close());
    const res = await fetch(`${rest.server.url}/api/system/processes/${r.process.id}`, {
      headers: { authorization: `Bearer ${rest.users.admin.token}` },
    });
    expect(await res.json()).toMatchObject({
      processStatus: "COMPLETED",
      outcome: "errors",
      outcomeCounts: { total: 4, failed: 2, unknown: 0, warnings: 0 },
      statusText: "COMPLETED with errors: 2 of 4 failed",
    });
  });

  it("a validation run with invalid records is COMPLETED with errors (not a silent COMPLETED)", async () => {
    h = await startHarness();
    const input = writeIso2709(h.file("v.mrc", ""), [
      newRecord(1),
      newRecord(2).removeFields("245"),
      newRecord(3),
    ]);
    const r = await h.run("marc-validate", ["-i", "v.mrc", "-p", "create"], { "v.mrc": input });
    expect(r.process).toMatchObject({ status: "COMPLETED", outcome: "errors" });
    expect(r.process.outcomeCounts).toMatchObject({ total: 3, failed: 1 });
    expect(statusText(r.process)).toBe("COMPLETED with errors: 1 of 3 failed");
  });

  it("nightshift run exits 3 for COMPLETED with errors, 0 for ok, 1 for FAILED", async () => {
    h = await startHarness({ sandbox: { seed: 1000 } });
    const config = writeWorkerConfig(h);
    const run = (...args: string[]) =>
      cli(["run", "--data-dir", h.config.dataDir, "--config", config, ...args], h.env);
    const errors = await run(
      "worldcat-holdings",
      "-a",
      "set",
      "-i",
      h.file("e.txt", "100000002\n999999999\n"),
    );
    expect([errors.code, errors.stdout.split("\n").at(-2)]).toEqual([
      3,
      expect.stringMatching(/COMPLETED with errors/),
    ]);
    expect(errors.stdout).toMatch(/process \d+ COMPLETED with errors: 1 of 2 failed\n$/);
    const ok = await run("worldcat-holdings", "-a", "set", "-i", h.file("ok.txt", "100000002\n"));
    expect(ok.code).toBe(0);
    const failed = await run("worldcat-bibs", "-a", "validate", "-i", h.file("list.mrc", "100000001\n"));
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/process \d+ FAILED: /);
  }, 120_000);
});
