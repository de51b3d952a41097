/** `nightshift worldcat sign` and `check` as real child processes. */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";

const bin = fileURLToPath(new URL("../bin/nightshift.js", import.meta.url));

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, "worldcat", ...args],
      { env: { ...process.env, NIGHTSHIFT_FROM_SOURCE: "1", ...env } },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("nightshift worldcat sign", () => {
  it("prints the signature, then the Authorization header (OCLC vector)", async () => {
    const { code, stdout } = await run(
      [
        "sign",
        "--key",
        "CancdeDMjFO9vnzkDrB6WJg1UnyTnkn8lLupLKygr0U1KJLiaAittuVjGRywCDdrsxahv2sbjgKq6hLM",
        "--secret",
        "env:VECTOR_SECRET",
        "--method",
        "GET",
        "--url",
        "https://worldcat.org/bib/data/1039085?inst=128807&classificationScheme=LibraryOfCongress&holdingLibraryCode=MAIN",
        "--timestamp",
        "1392239490",
        "--nonce",
        "0x16577027",
        "--principal-id",
        "pid",
        "--principal-idns",
        "urn:oclc:wms:da",
      ],
      { VECTOR_SECRET: "YeZfIJdGYUeatxQOjekRZw==" },
    );
    expect(code).toBe(0);
    const [sig, header] = stdout.trim().split("\n");
    expect(sig).toBe("+RFPwih61799mpNBJqGhhSbQgd/JRfEinYv81z+CwRY=");
    expect(header).toBe(
      'Authorization: http://www.worldcat.org/wskey/v2/hmac/v1 clientId="CancdeDMjFO9vnzkDrB6WJg1UnyTnkn8lLupLKygr0U1KJLiaAittuVjGRywCDdrsxahv2sbjgKq6hLM", timestamp="1392239490", nonce="0x16577027", signature="+RFPwih61799mpNBJqGhhSbQgd/JRfEinYv81z+CwRY=", principalID="pid", principalIDNS="urn:oclc:wms:da"',
    );
  });

  it("is a usage error without --url", async () => {
    const { code, stderr } = await run(["sign", "--key", "k", "--secret", "s"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--url is required");
  });
});

describe("nightshift worldcat check", () => {
  let sandbox: Sandbox;
  let config: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 10, rngSeed: 3 });
    const dir = mkdtempSync(join(tmpdir(), "ns-wc-cli-"));
    config = join(dir, "nightshift.yaml");
    const [full, holdings] = sandbox.accounts;
    writeFileSync(
      config,
      `accounts:
  full:
    key: ${full.key}
    secret: env:FULL_SECRET
    registryId: "${full.registryId}"
    symbol: ${full.symbol}
    sandboxUrl: ${sandbox.url}
  holdings:
    key: ${holdings.key}
    secret: env:HOLDINGS_SECRET
    registryId: "${holdings.registryId}"
    symbol: ${holdings.symbol}
    scopes: [WorldCatMetadataAPI:manage_institution_holdings]
    sandboxUrl: ${sandbox.url}
  inline:
    key: k
    secret: not-a-reference
`,
    );
  });
  afterAll(() => sandbox.close());

  const env = () => ({
    FULL_SECRET: sandbox.accounts[0].secret,
    HOLDINGS_SECRET: sandbox.accounts[1].secret,
  });

  it("prints a table of what the account can do, labelled SANDBOX", async () => {
    const { code, stdout } = await run(["check", "--account", "holdings", "--config", config], env());
    expect(code).toBe(0);
    expect(stdout).toContain("Account: holdings [SANDBOX]");
    expect(stdout).toMatch(/set holdings\s+yes/);
    expect(stdout).toMatch(/replace bibs\s+no/);
    expect(stdout).not.toContain(sandbox.accounts[1].secret);
  });

  it("prints JSON with --json", async () => {
    const { code, stdout } = await run(["check", "--account", "full", "--config", config, "--json"], env());
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.sandbox).toBe(true);
    expect(report.results.every((r: { verdict: string }) => r.verdict === "yes")).toBe(true);
  });

  it("refuses an inline secret, naming the account", async () => {
    const { code, stderr } = await run(["check", "--account", "inline", "--config", config], env());
    expect(code).toBe(1);
    expect(stderr).toContain("account 'inline'");
    expect(stderr).not.toContain("not-a-reference");
  });
});
