/** Review 2 of the one parameter parser: dates that do not exist, and `--no-x` given a value. */
import { describe, expect, it } from "vitest";
import { ParameterError, parseArgv, parseProperties } from "../src/engine/parameters.js";
import { defineScript } from "../src/engine/script.js";

const script = defineScript({
  name: "t",
  description: "test",
  parameters: [
    { name: "-w", nameLong: "--when", type: "date", description: "a date" },
    { name: "-d", nameLong: "--dry-run", type: "boolean", description: "dry run" },
  ],
  async run() {},
});

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ParameterError) return err.problems.map((p) => p.message);
    throw err;
  }
  return [];
}

describe("dates are real calendar dates", () => {
  const must = "must be a date (YYYY-MM-DD or ISO 8601 date-time)";
  it.each(["2026-02-30", "2025-02-29", "2026-04-31", "2026-02-28T24:00:00Z", "2026-02-28T23:60:00Z"])(
    "refuses %s (Date.parse would roll it over)",
    (value) => {
      expect(problems(() => parseArgv(script, ["-w", value]))).toEqual([
        `parameter '--when' (-w) ${must}, got '${value}'`,
      ]);
      expect(problems(() => parseProperties(script, [{ name: "--when", value }]))).toHaveLength(1);
    },
  );
  it.each(["2024-02-29", "2026-12-31", "2026-02-28T23:59:59.999Z", "2026-02-28 10:00+02:00"])(
    "accepts %s",
    (value) => {
      expect(parseArgv(script, ["-w", value]).values.when).toBe(value);
    },
  );
});

describe("--no-x with a value", () => {
  it.each([
    ["--no-dry-run=true", false],
    ["--no-dry-run=false", true],
  ] as const)("argv %s sets dryRun %s", (token, expected) => {
    const parsed = parseArgv(script, [token]);
    expect(parsed.values.dryRun).toBe(expected);
    expect(parsed.recorded).toEqual([{ name: "--dry-run", value: String(expected) }]);
  });
  it.each([
    ["true", false],
    [true, false],
    ["false", true],
    [null, false],
    [undefined, false],
  ] as const)("properties --no-dry-run = %j sets dryRun %s", (value, expected) => {
    expect(parseProperties(script, [{ name: "--no-dry-run", value }]).values.dryRun).toBe(expected);
  });
  it("refuses a value that is no boolean, naming the parameter", () => {
    expect(problems(() => parseArgv(script, ["--no-dry-run=maybe"]))).toEqual([
      "parameter '--dry-run' (-d) must be true or false, got 'maybe'",
    ]);
  });
});
