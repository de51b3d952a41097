/**
 * A secret parameter on the command line is readable by any local user in `ps`: `nightshift run` takes
 * `env:NAME` and `file:PATH` for every secret parameter, and warns (never echoing it) when one is literal.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { secretArguments } from "../src/cli/secret-arguments.js";
import { parseArgv } from "../src/engine/parameters.js";
import { cli, writeTestConfig } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";
import { scripts } from "./fixtures/scripts/test-scripts.js";

let dir: { dir: string; cleanup(): Promise<void> };
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.cleanup());

const echo = scripts.find((s) => s.name === "echo")!;

function parse(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const warnings: string[] = [];
  const parsed = parseArgv(echo, argv, {
    secretValue: secretArguments({ env, warn: (m) => warnings.push(m) }),
  });
  return { parsed, warnings };
}

it("reads env:NAME and file:PATH for a secret parameter, without a warning", async () => {
  const fromEnv = parse(["-m", "x", "--password", "env:ECHO_PW"], { ECHO_PW: "s3cret-env" });
  expect(fromEnv.parsed.values.password).toBe("s3cret-env");
  expect(fromEnv.warnings).toEqual([]);
  const file = join(dir.dir, "pw.txt");
  await writeFile(file, "s3cret-file\n");
  const fromFile = parse(["-m", "x", `--password=file:${file}`]);
  expect(fromFile.parsed.values.password).toBe("s3cret-file");
  expect(fromFile.warnings).toEqual([]);
  // Only secret parameters are read so: a message is taken as written.
  expect(parse(["-m", "env:ECHO_PW"], { ECHO_PW: "no" }).parsed.values.message).toBe("env:ECHO_PW");
});

it("warns about a literal secret without echoing it; a missing variable or file is a parameter problem", () => {
  const literal = parse(["-m", "x", "-p", "hunter2-literal"]);
  expect(literal.parsed.values.password).toBe("hunter2-literal");
  expect(literal.warnings).toEqual([
    "warning: --password was given on the command line, where other local users can read it (ps); give env:NAME or file:PATH instead",
  ]);
  expect(() => parse(["-m", "x", "-p", "env:NOPE"])).toThrow(
    "--password: environment variable NOPE is not set",
  );
  expect(() => parse(["-m", "x", "-p", "file:/nonexistent/pw"])).toThrow(
    "--password: cannot read /nonexistent/pw (ENOENT)",
  );
});

it("nightshift run: env: reaches the script; a literal one gets the warning on stderr", async () => {
  const common = ["--data-dir", join(dir.dir, "data"), "--config", await writeTestConfig(dir.dir)];
  const ok = await cli(["run", ...common, "echo", "-m", "hi", "--password", "env:ECHO_PW", "--json"], {
    ECHO_PW: "abcdefg",
  });
  expect(ok.code, ok.stderr).toBe(0);
  expect(ok.stdout).toContain('"passwordLength":7');
  expect(ok.stderr).not.toContain("warning");
  const literal = await cli(["run", ...common, "echo", "-m", "hi", "--password", "hunter2-literal"]);
  expect(literal.code, literal.stderr).toBe(0);
  expect(literal.stderr).toContain("nightshift run: warning: --password was given on the command line");
  expect(literal.stderr + literal.stdout).not.toContain("hunter2-literal");
});
