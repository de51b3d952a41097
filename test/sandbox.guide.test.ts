/**
 * Issue 17 item 9: `nightshift sandbox --help` and the `serve` banner say what the sandbox holds (numbers,
 * merges, holdings, holding codes, how to load one's own records). Every fact the guide states is checked
 * against a running sandbox over HTTP, so the guide cannot drift from what the sandbox answers.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/sandbox/index.js";
import { CORPUS } from "./fixtures/paths.js";
import { bearer, json, sandbox } from "./fixtures/sandbox/harness.js";
import { type CliChild, cli, startCli } from "./fixtures/scripts/cli-harness.js";
import { tempDir } from "./fixtures/scripts/harness.js";

let sb: Sandbox | undefined;
let serve: CliChild | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
  serve?.child.kill("SIGKILL");
  serve = undefined;
  await cleanup?.();
  cleanup = undefined;
});

interface Facts {
  examples: { ocn: string; held: boolean; title: string }[];
  merged: [string, string][];
  codes: Map<string, string[]>;
}

/** The facts a guide states, read back from its text. */
function facts(text: string): Facts {
  const examples = [...text.matchAll(/^ {4}(\d+) +(held|not held) +(.*)$/gm)].map((m) => ({
    ocn: m[1]!,
    held: m[2] === "held",
    title: m[3]!,
  }));
  const merged = [...text.matchAll(/^ {4}(?:every 1000th .*: )?(\d+) -> (\d+)$/gm)].map(
    (m) => [m[1]!, m[2]!] as [string, string],
  );
  const codes = new Map(
    [...text.matchAll(/^ {4}([A-Z]+) \((\d+)\): (.*)$/gm)].map((m) => [
      m[1]!,
      m[3]!.split(", ").map((c) => c.split(" ")[0]!),
    ]),
  );
  return { examples, merged, codes };
}

/** Checks every stated fact against the sandbox: numbers, titles, merges, holdings, holding codes. */
async function expectTrue(f: Facts, s: Sandbox): Promise<void> {
  const h = await bearer(s);
  const holding = async (n: string) =>
    (
      await json(
        await fetch(`${s.url}/worldcat/manage/institution/holdings/current?oclcNumbers=${n}`, { headers: h }),
      )
    ).holdings[0];
  for (const e of f.examples) {
    const brief = await fetch(`${s.url}/worldcat/search/brief-bibs/${e.ocn}`, { headers: h });
    expect(brief.status, e.ocn).toBe(200);
    expect(String((await json(brief)).title)).toContain(e.title);
    expect(await holding(e.ocn), e.ocn).toMatchObject({ currentControlNumber: e.ocn, holdingSet: e.held });
  }
  expect(f.merged.length).toBeGreaterThan(0);
  for (const [from, to] of f.merged)
    expect(await holding(from), from).toMatchObject({
      requestedControlNumber: from,
      currentControlNumber: to,
    });
  expect([...f.codes.keys()].sort()).toEqual(s.accounts.map((a) => a.symbol).sort());
  for (const a of s.accounts) {
    // An account allowed to ask is asked over HTTP; a read-only demo account's codes are its configuration.
    if (!a.scopes.includes("WorldCatMetadataAPI")) {
      expect(f.codes.get(a.symbol)).toEqual(a.holdingCodes.map((c) => c.code));
      continue;
    }
    const res = await fetch(`${s.url}/worldcat/manage/institution-config/branch-shelving-locations`, {
      headers: await bearer(s, a),
    });
    const branches = (await json(res)).branches as { holdingLocation: string }[];
    expect(f.codes.get(a.symbol)).toEqual(branches.map((b) => b.holdingLocation));
  }
}

describe("the sandbox says what it holds", () => {
  it("sandbox --help: numbers, merges, holdings and holding codes, each true of a sandbox started so", async () => {
    const help = await cli(["sandbox", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("What this sandbox holds");
    expect(help.stdout).toMatch(/held: every institution holds every even-numbered seed record at start/);
    expect(help.stdout).toMatch(/your own records: nightshift sandbox --seed FILE or --seed DIR/);
    const f = facts(help.stdout);
    expect(f.examples.length).toBeGreaterThan(3);
    expect(f.examples.some((e) => e.held) && f.examples.some((e) => !e.held)).toBe(true);
    // The sandbox `nightshift sandbox` starts: the corpus, the demo accounts.
    sb = await sandbox();
    await expectTrue(f, sb);
  });

  it("--help with --seed N and --seed FILE describes that sandbox: synthetic numbers and one's own records", async () => {
    const file = join(CORPUS, "summerland.mrc");
    const help = await cli(["sandbox", "--seed", "1000", "--seed", file, "--no-corpus", "--help"]);
    expect(help.stdout).toContain("1000 synthetic records 100000001..100001000");
    expect(help.stdout).toContain(
      "every 1000th synthetic number into the one before it: 100001000 -> 100000999",
    );
    const f = facts(help.stdout);
    sb = await sandbox({ seed: 1000, corpus: false, seedFiles: [file] });
    await expectTrue(f, sb);
    // summerland.mrc has no OCLC number: it is numbered as the guide says one's own records are
    expect(f.examples.map((e) => e.ocn)).toEqual(["1200100001"]);
  });

  it("serve prints the guide of its built-in sandbox, and it is true of that sandbox", async () => {
    const dir = await tempDir();
    cleanup = dir.cleanup;
    serve = startCli(["serve", "--port", "0", "--data-dir", join(dir.dir, "data")]);
    await serve.waitForOutput(/listening on /);
    const out = serve.stdout();
    expect(out).toContain("What this sandbox holds");
    expect(out).toContain("1000 synthetic records 100000001..100001000");
    const f = facts(out);
    expect(f.codes.get("OCPSB")).toEqual(["MAIN", "SPEC"]);
    // Checked against serve's own sandbox, which it publishes for commands beside it.
    const info = JSON.parse(await readFile(join(dir.dir, "data", "sandbox.json"), "utf8"));
    await expectTrue(f, { url: info.url, accounts: [info] } as unknown as Sandbox);
  });
});
