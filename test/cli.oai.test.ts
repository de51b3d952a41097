import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";
import { type FixtureRepository, fixtureRepository } from "./fixtures/oai/server.js";

const ROOT = join(import.meta.dirname, "..");

function oai(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "nightshift.js"), "oai", ...args], {
      cwd: ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let sandbox: Sandbox | undefined;
let repo: FixtureRepository | undefined;
afterEach(async () => {
  await sandbox?.close();
  await repo?.close();
  sandbox = undefined;
  repo = undefined;
});

describe("nightshift oai", () => {
  it("list --json: one trimmed object per record over every page; a set and days narrow it", async () => {
    sandbox = await startSandbox({ corpus: false });
    const url = `${sandbox.url}/oai/request`;
    const all = await oai(["list", url, "--json"]);
    expect(all.code).toBe(0);
    const lines = all.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(64);
    expect(lines[12]).toEqual({
      identifier: "oai:repository.example.edu:123456789/1013",
      datestamp: "2026-01-11",
      deleted: true,
      sets: ["col_123456789_2"],
    });
    const some = await oai([
      "list",
      url,
      "--set",
      "col_123456789_3",
      "--from",
      "2026-01-06",
      "--until",
      "2026-01-08",
      "--json",
    ]);
    expect(
      some.stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).identifier),
    ).toEqual(["oai:repository.example.edu:123456789/1003", "oai:repository.example.edu:123456789/1006"]);
  });

  it("identify, formats and sets", async () => {
    sandbox = await startSandbox({ corpus: false });
    const url = `${sandbox.url}/oai/request`;
    expect((await oai(["identify", url])).stdout).toContain("granularity: YYYY-MM-DD");
    expect((await oai(["formats", url])).stdout).toMatch(/^\s+oai_dc .*\n\* qdc /);
    expect(
      (await oai(["sets", url, "--json"])).stdout
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l).setSpec),
    ).toEqual(["col_123456789_2", "col_123456789_3"]);
  });

  it("noRecordsMatch exits 0 with nothing printed; another error exits 1 naming its code; trimmed identifiers", async () => {
    repo = await fixtureRepository((q) =>
      q.get("set") === "empty"
        ? "error-noRecordsMatch.xml"
        : q.get("set") === "bad"
          ? "error-badArgument.xml"
          : q.get("resumptionToken")
            ? "dspace7-oai_dc-page2.xml"
            : "dspace7-oai_dc-page1.xml",
    );
    const empty = await oai(["list", repo.url, "--set", "empty", "--json"]);
    expect([empty.code, empty.stdout]).toEqual([0, ""]);
    const bad = await oai(["list", repo.url, "--set", "bad", "--json"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("OAI-PMH error badArgument for ListRecords metadataPrefix=oai_dc set=bad");
    const ok = await oai(["list", repo.url, "--json"]);
    expect(JSON.parse(ok.stdout.split("\n")[0])).toEqual({
      identifier: "oai:repository.example.edu:1234/5678",
      datestamp: "2026-11-03T08:12:55Z",
      deleted: false,
      sets: ["com_1234_1", "col_1234_77"],
    });
  });

  it("usage errors exit 2", async () => {
    expect((await oai(["list"])).code).toBe(2);
    expect((await oai(["identify", "http://x", "--set", "a"])).code).toBe(2);
  });
});
