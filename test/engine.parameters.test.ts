import { describe, expect, it } from "vitest";
import { helpText, ParameterError, parseArgv, parseProperties } from "../src/engine/parameters.js";
import { defineScript } from "../src/engine/script.js";

const script = defineScript({
  name: "demo",
  description: "Exercises every parameter type",
  parameters: [
    { name: "-f", nameLong: "--file", type: "file", required: true, description: "input file" },
    { name: "-n", nameLong: "--count", type: "integer", default: 10, description: "how many" },
    { name: "-d", nameLong: "--dry-run", type: "boolean", description: "change nothing" },
    { name: "-s", nameLong: "--since", type: "date", description: "from date" },
    { name: "-a", nameLong: "--action", type: "enum", values: ["set", "unset"], description: "what to do" },
    { name: "-k", nameLong: "--api-key", type: "string", secret: true, description: "a secret" },
    { name: "-o", nameLong: "--out", type: "output", description: "output name" },
  ],
  async run() {},
});

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ParameterError);
    return (err as ParameterError).problems.map((p) => p.message);
  }
  throw new Error("expected a ParameterError");
}

describe("parseArgv", () => {
  const good: [string[], Record<string, unknown>][] = [
    [["-f", "a.mrc"], { file: "a.mrc", count: 10, dryRun: false }],
    [["--file", "a.mrc", "-n", "3"], { file: "a.mrc", count: 3 }],
    [["--file=a.mrc", "--count=-2"], { file: "a.mrc", count: -2 }],
    [["-f", "a.mrc", "--dry-run"], { dryRun: true }],
    [["-f", "a.mrc", "-d", "false"], { dryRun: false }],
    [["-f", "a.mrc", "--no-dry-run"], { dryRun: false }],
    [["-f", "a.mrc", "--dry-run=yes"], { dryRun: true }],
    [["-f", "a.mrc", "-s", "2026-01-31"], { since: "2026-01-31" }],
    [["-f", "a.mrc", "--since", "2026-01-31T10:00:00Z"], { since: "2026-01-31T10:00:00Z" }],
    [["-f", "a.mrc", "-a", "unset"], { action: "unset" }],
    [["-f", "a.mrc", "-o", "report.csv"], { out: "report.csv" }],
  ];
  it.each(good)("accepts %j", (argv, expected) => {
    expect(parseArgv(script, argv).values).toMatchObject(expected);
  });

  const bad: [string[], string[]][] = [
    [[], ["missing required parameter '--file' (-f)"]],
    [["-f", "a", "--bogus", "1"], ["unknown parameter '--bogus'"]],
    [
      ["-f", "a", "--pasword", "hunter2", "extra"],
      ["unknown parameter '--pasword'", "unexpected argument 'extra' (parameters start with - or --)"],
    ],
    [["-f", "a", "-n", "ten"], ["parameter '--count' (-n) must be an integer, got 'ten'"]],
    [["-f", "a", "-n", "1.5"], ["parameter '--count' (-n) must be an integer, got '1.5'"]],
    [["-f", "a", "-f", "b"], ["parameter '--file' (-f) is given more than once"]],
    [["-f", "a", "--file=b"], ["parameter '--file' (-f) is given more than once"]],
    [["-f"], ["parameter '--file' (-f) needs a value"]],
    [
      ["-f", "a", "-s", "31/01/2026"],
      ["parameter '--since' (-s) must be a date (YYYY-MM-DD or ISO 8601 date-time), got '31/01/2026'"],
    ],
    [
      ["-f", "a", "-s", "2026-02-31x"],
      ["parameter '--since' (-s) must be a date (YYYY-MM-DD or ISO 8601 date-time), got '2026-02-31x'"],
    ],
    [["-f", "a", "-a", "move"], ["parameter '--action' (-a) must be one of set, unset, got 'move'"]],
    [["-f", "a", "--dry-run=maybe"], ["parameter '--dry-run' (-d) must be true or false, got 'maybe'"]],
    [["-f", "a", "--no-count"], ["unknown parameter '--no-count'"]],
  ];
  it.each(bad)("refuses %j", (argv, expected) => {
    expect(problems(() => parseArgv(script, argv))).toEqual(expected);
  });

  it("masks secrets in the recorded parameters and in error messages", () => {
    const parsed = parseArgv(script, ["-f", "a", "-k", "hunter2"]);
    expect(parsed.values.apiKey).toBe("hunter2");
    expect(parsed.recorded).toContainEqual({ name: "--api-key", value: "********" });
    expect(JSON.stringify(parsed.recorded)).not.toContain("hunter2");
    expect(parsed.files).toEqual(["a"]);
  });
});

describe("parseProperties", () => {
  it("accepts short and long names as in the REST contract", () => {
    const parsed = parseProperties(script, [
      { name: "-f", value: "in.mrc" },
      { name: "--count", value: "5" },
      { name: "-d", value: "true" },
    ]);
    expect(parsed.values).toMatchObject({ file: "in.mrc", count: 5, dryRun: true });
    expect(parsed.recorded).toEqual([
      { name: "--file", value: "in.mrc" },
      { name: "--count", value: "5" },
      { name: "--dry-run", value: "true" },
    ]);
  });

  it("names every bad property", () => {
    expect(
      problems(() =>
        parseProperties(script, [
          { name: "-x", value: "1" },
          { value: "2" },
          { name: "-n", value: "many" },
          { name: "-n", value: "3" },
        ]),
      ),
    ).toEqual([
      "unknown parameter '-x'",
      "properties[1] has no string 'name'",
      "parameter '--count' (-n) must be an integer, got 'many'",
      "parameter '--count' (-n) is given more than once",
      "missing required parameter '--file' (-f)",
    ]);
    expect(problems(() => parseProperties(script, { name: "-f" }))).toEqual([
      "properties must be a JSON array of {name, value} objects",
    ]);
    // A value written into an unknown name is not echoed (it may be a secret under a mistyped name).
    expect(
      problems(() => parseProperties(script, [{ name: "--pasword=hunter2" }, { name: "-f", value: "a" }])),
    ).toEqual(["unknown parameter '--pasword=...'"]);
  });

  it("treats a boolean without value as true", () => {
    expect(parseProperties(script, [{ name: "-f", value: "a" }, { name: "-d" }]).values.dryRun).toBe(true);
  });
});

describe("helpText", () => {
  it("lists every parameter with type, default and flags", () => {
    const text = helpText(script);
    expect(text).toContain("-f, --file <file>");
    expect(text).toContain("(required)");
    expect(text).toContain("-a, --action <set|unset>");
    expect(text).toContain("default: 10");
  });

  it("never shows a secret parameter's default", () => {
    const withSecret = defineScript({
      name: "s",
      description: "has a secret with a default",
      parameters: [
        {
          name: "-k",
          nameLong: "--key",
          type: "string",
          secret: true,
          default: "sekrit-default",
          description: "a key",
        },
      ],
      async run() {},
    });
    const text = helpText(withSecret);
    expect(text).toContain("(secret)");
    expect(text).not.toContain("sekrit-default");
  });
});

describe("parameters as sent (issue 18: DSpace echoes them so)", () => {
  it("argv: names and values as written, null for a bare flag, secrets masked", () => {
    const parsed = parseArgv(script, ["-f", "a.mrc", "--count=3", "-d"]);
    expect(parsed.sent).toEqual([
      { name: "-f", value: "a.mrc" },
      { name: "--count", value: "3" },
      { name: "-d", value: null },
    ]);
    expect(parseArgv(script, ["-f", "a", "--no-dry-run", "-k", "s3cret"]).sent).toEqual([
      { name: "-f", value: "a" },
      { name: "--no-dry-run", value: null },
      { name: "-k", value: "********" },
    ]);
    // The engine's reading stays normalised.
    expect(parsed.recorded).toContainEqual({ name: "--dry-run", value: "true" });
  });

  it("properties: JSON values as given, null kept", () => {
    const parsed = parseProperties(script, [
      { name: "-f", value: "a.mrc" },
      { name: "-n", value: 5 },
      { name: "--dry-run", value: null },
      { name: "--api-key", value: "s3cret" },
    ]);
    expect(parsed.sent).toEqual([
      { name: "-f", value: "a.mrc" },
      { name: "-n", value: 5 },
      { name: "--dry-run", value: null },
      { name: "--api-key", value: "********" },
    ]);
  });
});

describe("a slip suggests the nearest (issue 17 item 6)", () => {
  it("a mistyped option names the parameter meant, on the command line and over REST", () => {
    expect(problems(() => parseArgv(script, ["-f", "a", "--acton", "set"]))).toEqual([
      "unknown parameter '--acton' (did you mean `--action`?)",
    ]);
    expect(problems(() => parseArgv(script, ["-f", "a", "-action", "set"]))).toEqual([
      "unknown parameter '-action' (did you mean `--action`?)",
    ]);
    expect(
      problems(() =>
        parseProperties(script, [
          { name: "--dryrun", value: true },
          { name: "-f", value: "a" },
        ]),
      ),
    ).toEqual(["unknown parameter '--dryrun' (did you mean `--dry-run`?)"]);
    // nothing near: no guess
    expect(problems(() => parseArgv(script, ["-f", "a", "--colour", "red"]))).toEqual([
      "unknown parameter '--colour'",
    ]);
  });

  it("a mistyped enum value names the value meant", () => {
    expect(problems(() => parseArgv(script, ["-f", "a", "-a", "sett"]))).toEqual([
      "parameter '--action' (-a) must be one of set, unset, got 'sett' (did you mean `set`?)",
    ]);
    expect(problems(() => parseArgv(script, ["-f", "a", "-a", "delete"]))).toEqual([
      "parameter '--action' (-a) must be one of set, unset, got 'delete'",
    ]);
  });
});
