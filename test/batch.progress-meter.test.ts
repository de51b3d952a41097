import { afterEach, expect, it, vi } from "vitest";
import { createProgressMeter } from "../src/batch/progress.js";

afterEach(() => {
  vi.useRealTimers();
});

it("an update held back by the interval is sent when the interval ends, not lost while the batch waits", () => {
  vi.useFakeTimers();
  const reports: number[] = [];
  const log = { debug() {}, info() {}, warn() {}, error() {} };
  const meter = createProgressMeter({
    report: (done) => void reports.push(done),
    log,
    now: () => Date.now(),
    intervalMs: 1000,
    logIntervalMs: 60_000,
  });
  meter.update(1, 1); // sent at once
  vi.advanceTimersByTime(100);
  meter.update(2, 2); // within the interval: held
  meter.update(3, 3); // still held, the latest wins
  expect(reports).toEqual([1]);
  // No more reports come (a slow item holds the next one back): the held count still goes out.
  vi.advanceTimersByTime(900);
  expect(reports).toEqual([1, 3]);
  vi.advanceTimersByTime(5000);
  expect(reports).toEqual([1, 3]);
  meter.update(4, 4, true); // a forced update goes at once
  expect(reports).toEqual([1, 3, 4]);
});
