/**
 * Issue 17, words: `-A` is the short option of `--account` wherever it exists (every WorldCat script over
 * the CLI and REST, `worldcat check`, `schedule add`), and `-s`, its former short name, still works.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { helpText, parseArgv, parseProperties } from "../src/engine/parameters.js";
import { builtInScripts } from "../src/scripts/index.js";
import { cli } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const worldcatScripts = builtInScripts.filter((s) => s.parameters.some((p) => p.nameLong === "--account"));

describe("--account is -A, and -s still works", () => {
  it("every WorldCat script takes -A and -s for --account, from the command line and over REST", () => {
    expect(worldcatScripts.length).toBeGreaterThan(5);
    for (const script of worldcatScripts) {
      const account = script.parameters.find((p) => p.nameLong === "--account")!;
      expect(account.name, script.name).toBe("-A");
      // other required parameters do not matter here: only the account's value is looked at
      for (const flag of ["-A", "-s", "--account"]) {
        const parsed = (() => {
          try {
            return parseArgv(script, [flag, "weeding-2026"]);
          } catch (err) {
            return err as Error;
          }
        })();
        if (parsed instanceof Error)
          expect(parsed.message, `${script.name} ${flag}`).not.toMatch(/account|-A|-s\b/);
        else expect(parsed.values.account, `${script.name} ${flag}`).toBe("weeding-2026");
      }
      expect(helpText(script)).toContain("-A, --account");
    }
    const holdings = worldcatScripts.find((s) => s.name === "worldcat-holdings")!;
    for (const name of ["-A", "-s"]) {
      const parsed = parseProperties(holdings, [
        { name: "--action", value: "set" },
        { name: "--input", value: "numbers.txt" },
        { name, value: "weeding-2026" },
      ]);
      expect(parsed.values.account).toBe("weeding-2026");
      expect(parsed.recorded).toContainEqual({ name: "--account", value: "weeding-2026" });
    }
    const argv = parseArgv(holdings, ["-a", "set", "-i", "n.txt", "-s", "weeding-2026"]);
    expect(argv.values).toMatchObject({ action: "set", account: "weeding-2026" });
  });

  it("worldcat check -A NAME is worldcat check --account NAME", async () => {
    const dir = await tempDir();
    cleanup = dir.cleanup;
    const r = await cli(["worldcat", "check", "-A", "sandbox", "--data-dir", join(dir.dir, "data")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Account: sandbox [SANDBOX]");
  }, 60_000);
});
