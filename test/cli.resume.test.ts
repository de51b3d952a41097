/**
 * `nightshift resume <id>` (issue 17 item 3) with real child processes: a batch stopped by Ctrl-C and one
 * whose `nightshift run` was killed with -9 are both finished by `nightshift resume <id>`, each record created
 * in the sandbox exactly once; the exact command is printed where the stop is seen.
 */
import { expect, it } from "vitest";
import { type CliChild, startCli } from "./fixtures/scripts/cli-harness.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import { writeWorkerConfig } from "./fixtures/worldcat-scripts/cli-worker.js";
import type { Harness } from "./fixtures/worldcat-scripts/harness.js";
import { newRecord, writeIso2709 } from "./fixtures/worldcat-scripts/records.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";
import { useHarness } from "./fixtures/worldcat-scripts/use-harness.js";

const harness = useHarness();
const N = 40;

/** A CLI child on the harness's data directory, killed by the harness's close when a test fails. */
function cli(h: Harness, config: string, args: string[]): CliChild {
  const child = startCli([...args, "--data-dir", h.config.dataDir, "--config", config], h.env);
  h.defer(async () => {
    if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill("SIGKILL");
    await child.exited;
  });
  return child;
}

async function startBatch(h: Harness) {
  const recs = Array.from({ length: N }, (_, i) => newRecord(i + 1, { localId: i % 2 === 0 }));
  const mrc = writeIso2709(h.file("new.mrc", ""), recs);
  const config = writeWorkerConfig(h);
  const run = cli(h, config, ["run", "worldcat-bibs", "--action", "create", "--input", mrc]);
  const id = Number((await run.waitForOutput(/^process (\d+)$/m))[1]);
  await waitFor("creates under way", () => h.sandbox.state.creations.length >= 8, 20_000);
  return { run, id, config };
}

/** `nightshift resume <id>` to its end: the batch complete, every record created once, nothing twice. */
async function resumeToTheEnd(h: Harness, config: string, id: number) {
  const resumed = await cli(h, config, ["resume", String(id), "--concurrency", "4"]).exited;
  expect(resumed.code, resumed.stderr).toBe(0);
  const newId = Number(/^process (\d+)$/m.exec(resumed.stdout)?.[1]);
  expect(newId).toBeGreaterThan(id);
  const done = await h.wait(newId);
  expect(done.process.status).toBe("COMPLETED");
  expect(done.process.parameters).toEqual(
    expect.arrayContaining([
      { name: "--resume", value: String(id) },
      { name: "--concurrency", value: "4" },
      { name: "--action", value: "create" },
    ]),
  );
  const rows = reportRows(done.text("report.csv"));
  expect(rows.map((r) => [r.position, r.outcome])).toEqual(
    Array.from({ length: N }, (_, i) => [i + 1, "ok"]),
  );
  const counts = Object.values(h.sandbox.state.snapshot().createCounts as Record<string, number>);
  expect(counts.length).toBe(N);
  expect(counts.every((c) => c === 1)).toBe(true);
  // Resuming it again is refused as `run --resume` refuses it: the new process COMPLETED, no process made.
  const before = (await h.engine.service.listProcesses()).total;
  const again = await cli(h, config, ["resume", String(newId)]).exited;
  expect(again.code).toBe(2);
  expect(again.stderr).toContain(`process ${newId} is COMPLETED`);
  expect((await h.engine.service.listProcesses()).total).toBe(before);
}

it("Ctrl-C stops `run` and prints `nightshift resume <id>`, which finishes the batch, nothing twice", async () => {
  const { h } = await harness({ dispatch: false, sandbox: { latencyMs: 20, jitterMs: 10 } });
  const { run, id, config } = await startBatch(h);
  run.child.kill("SIGINT");
  const stopped = await run.exited;
  expect(stopped.code).toBe(1);
  expect(stopped.stdout).toMatch(new RegExp(`^process ${id} CANCELLED`, "m"));
  expect(stopped.stderr).toContain(`nightshift run: to continue where it stopped: nightshift resume ${id}\n`);
  expect((await h.engine.service.getProcess(id))?.status).toBe("CANCELLED");
  expect(h.sandbox.state.creations.length).toBeLessThan(N);

  await resumeToTheEnd(h, config, id);
}, 180_000);

it("kill -9 of `run`: `process <id>` and the next start's recovery print `nightshift resume <id>`, which finishes it", async () => {
  const { h } = await harness({ dispatch: false, sandbox: { latencyMs: 20, jitterMs: 10 } });
  const { run, id, config } = await startBatch(h);
  run.child.kill("SIGKILL");
  expect((await run.exited).signal).toBe("SIGKILL");
  expect(h.sandbox.state.creations.length).toBeLessThan(N);

  // Before anything recovers it: RUNNING, its lease running out (1 s), then shown as a crash.
  await waitFor("the dead worker's lease to expire", async () => {
    const p = await h.engine.service.getProcess(id);
    return p?.leaseExpiresAt && Date.parse(p.leaseExpiresAt) < Date.now();
  });
  const shown = await cli(h, config, ["process", String(id)]).exited;
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(/status\s+RUNNING \(its worker is gone: lease expired at \S+\)/);
  expect(shown.stdout).toMatch(new RegExp(`resume\\s+nightshift resume ${id}\\n`));

  // A worker's start finds the crash and says how to continue it.
  const worker = cli(h, config, ["worker"]);
  await worker.waitForOutput(
    new RegExp(
      `process ${id}: worker \\S+ lost; marked FAILED; to continue it: nightshift resume ${id}$`,
      "m",
    ),
  );
  worker.child.kill("SIGTERM");
  expect((await worker.exited).code).toBe(0);
  expect((await h.engine.service.getProcess(id))?.status).toBe("FAILED");
  const failed = await cli(h, config, ["process", String(id)]).exited;
  expect(failed.stdout).toMatch(new RegExp(`resume\\s+nightshift resume ${id}\\n`));

  await resumeToTheEnd(h, config, id);
}, 180_000);

it("refuses what `run --resume` refuses, before any process exists", async () => {
  const { h } = await harness({ dispatch: false });
  const config = writeWorkerConfig(h);
  const missing = await cli(h, config, ["resume", "99"]).exited;
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain("99");
  const bad = await cli(h, config, ["resume", "1", "--concurrency", "0"]).exited;
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("--concurrency must be a positive whole number");
  expect((await h.engine.service.listProcesses()).total).toBe(0);
}, 120_000);
