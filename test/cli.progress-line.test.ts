import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { createProgressLine, formatEta } from "../src/cli/progress-line.js";

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, chunks };
}

it("draws a bar with done/total, percent and an ETA from the observed rate, in place", () => {
  const { stream, chunks } = capture();
  let t = 0;
  const line = createProgressLine(stream, { width: 10, now: () => t });
  line.update(0, 100);
  t = 10_000;
  line.update(25, 100); // 25 items in 10 s: 75 left -> 30 s
  expect(chunks.at(-1)).toBe("\r[###-------] 25/100 25% ETA 0:30\x1b[K");
  t = 40_000;
  line.update(100, 100);
  expect(chunks.at(-1)).toBe("\r[##########] 100/100 100%\x1b[K");
  line.clear();
  expect(chunks.at(-1)).toBe("\r\x1b[K");
});

it("shows a count when the total is unknown", () => {
  const { stream, chunks } = capture();
  createProgressLine(stream).update(42, null);
  expect(chunks).toEqual(["\r42 done\x1b[K"]);
});

it("formats remaining times for people", () => {
  expect(formatEta(5_000)).toBe("0:05");
  expect(formatEta(65_000)).toBe("1:05");
  expect(formatEta(7_389_000)).toBe("2:03:09");
});
