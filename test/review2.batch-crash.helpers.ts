/**
 * A crash-and-resume chain for the review tests of "nothing lost or done twice": runs a script in a real
 * `nightshift worker`, `kill -9`s it at a given point, resumes in a new worker (and kills that one too, as
 * often as asked), resumes to the end in this process, then re-runs the failures file until none is left.
 * Every run's report and summary are checked: positions 1..n in order, one row per input item, counts
 * adding up.
 */
import { expect } from "vitest";
import type { ReportRow } from "../src/batch/report.js";
import { waitFor } from "./fixtures/scripts/harness.js";
import { startCliWorker } from "./fixtures/worldcat-scripts/cli-worker.js";
import type { Finished, Harness } from "./fixtures/worldcat-scripts/harness.js";
import { reportRows } from "./fixtures/worldcat-scripts/report.js";

/** A small seeded generator (mulberry32): the same seed gives the same kill points and fault mixes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Chain {
  /** Each run's report rows, in order: the crashed ones are not included. */
  readonly runs: Finished[];
  /** The last outcome of every item (by its key), over the resumed run and the failures re-runs. */
  readonly last: Map<string, ReportRow>;
  readonly resumed: Finished;
}

const ended = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

/**
 * Runs `script argv` with `input` (uploaded as `name`), killing the worker when each of `killAfter`
 * (counts of sandbox requests since that run started) is reached, then resumes and re-runs failures.
 */
export async function crashResumeChain(
  h: Harness,
  script: string,
  argv: readonly string[],
  name: string,
  input: string,
  killAfter: readonly number[],
  keys: readonly string[],
  /** What the report says as `input_id` of the item `key` at `position` of a run's input. */
  inputIdOf: (key: string, position: number) => string = (key) => key,
): Promise<Chain> {
  const uploads = { [name]: input };
  const args = [...argv, "-i", name];
  let previous: number | undefined;
  for (const k of killAfter) {
    const worker = await startCliWorker(h);
    const base = h.sandbox.state.counters.requests;
    const p = await h.start(
      script,
      previous === undefined ? args : [...args, "-r", String(previous)],
      uploads,
    );
    await waitFor(
      `process ${p.id} to send ${k} requests`,
      async () =>
        h.sandbox.state.counters.requests - base >= k ||
        ended.has((await h.engine.service.getProcess(p.id))?.status ?? ""),
      20_000,
    );
    await worker.kill9();
    previous = p.id;
    // The kill came after the run had gone through its whole input: there is nothing left to resume.
    if ((await h.engine.service.getProcess(p.id))?.status === "COMPLETED") break;
  }
  await h.startDispatcher();
  const last0 = previous === undefined ? undefined : await h.engine.service.getProcess(previous);
  const resumed =
    last0?.status === "COMPLETED"
      ? await h.wait(last0.id)
      : await h.run(script, previous === undefined ? args : [...args, "-r", String(previous)], uploads);
  expect(resumed.process.status, resumed.log).not.toBe("CANCELLED");
  const runs = [resumed];
  const last = new Map<string, ReportRow>();
  checkRun(resumed, keys, inputIdOf, last);
  let run = resumed;
  for (let round = 1; round <= 8 && hasFailures(run); round++) {
    const file = failuresName(run);
    const again = h.file(`again-${round}-${file}`, run.bytes(file));
    // The failures file holds the failed items in input order.
    const failed = [...last].filter(([, r]) => r.outcome === "failed" || r.outcome === "unknown");
    run = await h.run(script, [...argv, "-i", file], { [file]: again });
    runs.push(run);
    checkRun(
      run,
      failed.map(([key]) => key),
      inputIdOf,
      last,
    );
  }
  return { runs, last, resumed };
}

function hasFailures(run: Finished): boolean {
  const s = JSON.parse(run.text("summary.json"));
  return s.byOutcome.failed + s.byOutcome.unknown > 0;
}

function failuresName(run: Finished): string {
  return JSON.parse(run.text("summary.json")).files.failures;
}

/** One row per expected input id, positions 1..n, summary counts adding up to the input count. */
function checkRun(
  run: Finished,
  keys: readonly string[],
  inputIdOf: (key: string, position: number) => string,
  last: Map<string, ReportRow>,
): void {
  const rows = reportRows(run.text("report.csv"));
  expect(
    rows.map((r) => [r.position, r.inputId]),
    run.log,
  ).toEqual(keys.map((key, i) => [i + 1, inputIdOf(key, i + 1)]));
  const inputIds = keys;
  const summary = JSON.parse(run.text("summary.json"));
  expect(summary.total).toBe(inputIds.length);
  expect(summary.completed).toBe(true);
  const sum = Object.values(summary.byOutcome as Record<string, number>).reduce((a, b) => a + b, 0);
  expect(sum).toBe(inputIds.length);
  for (const outcome of ["ok", "skipped", "failed", "unknown"] as const)
    expect(summary.byOutcome[outcome]).toBe(rows.filter((r) => r.outcome === outcome).length);
  for (const [i, r] of rows.entries()) last.set(keys[i], r);
}
