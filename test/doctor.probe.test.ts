/**
 * `nightshift doctor --probe` against the sandbox (issue 10): the permission probe runs for every account, and
 * an account lacking what a bound script needs is reported `probe-denied` naming the script and the
 * operations; an account the sandbox gives no token is `probe-failed`; an account that can do everything its
 * scripts need has no finding. Without `--probe` nothing is asked of WorldCat.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { runDoctor } from "../src/doctor/index.js";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";
import { startCli } from "./fixtures/scripts/cli-harness.js";

let dir: string;
let sandbox: Sandbox;
let configPath: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nightshift-doctor-probe-"));
  sandbox = await startSandbox({ seed: 10, rngSeed: 3 });
  const [full, holdings] = sandbox.accounts;
  const principal = "principalID: p-1, principalIDNS: urn:oclc:wms:da";
  configPath = join(dir, "config.yaml");
  await writeFile(
    configPath,
    `accounts:
  full: { key: ${full.key}, secret: env:FULL_SECRET, ${principal}, sandboxUrl: "${sandbox.url}" }
  holdings-only:
    key: ${holdings.key}
    secret: env:HOLDINGS_SECRET
    ${principal.replace(", ", "\n    ")}
    scopes: [WorldCatMetadataAPI:manage_institution_holdings]
    sandboxUrl: "${sandbox.url}"
  revoked: { key: ${holdings.key}, secret: env:WRONG_SECRET, ${principal}, sandboxUrl: "${sandbox.url}" }
scripts:
  worldcat-holdings: { account: holdings-only }
  worldcat-bibs: { account: holdings-only }
  worldcat-fetch: { account: full }
  worldcat-current: { account: revoked }
`,
  );
  env = {
    FULL_SECRET: full.secret,
    HOLDINGS_SECRET: holdings.secret,
    WRONG_SECRET: "not-the-secret-7d1e",
  };
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

it("reports the operations a bound script needs that its account cannot do, and an account without a token", async () => {
  const config = await loadConfig({ configPath, dataDir: join(dir, "data"), env: {} });
  const without = await runDoctor(config, { env });
  expect(without.filter((f) => f.code.startsWith("probe-"))).toEqual([]);

  const findings = (await runDoctor(config, { env, probe: true })).filter((f) => f.code.startsWith("probe-"));
  expect(findings.map((f) => `${f.severity} ${f.code} ${f.where}: ${f.message}`)).toEqual([
    // holdings-only cannot ask current numbers (a bibs operation): worldcat-holdings needs it for merged records
    `error probe-denied ${configPath}:3: accounts.holdings-only: worldcat-holdings needs check current numbers, which the account cannot do`,
    `error probe-denied ${configPath}:3: accounts.holdings-only: worldcat-bibs needs read bibs, validate bibs, create bibs, replace bibs, which the account cannot do`,
    expect.stringMatching(
      new RegExp(`^error probe-failed ${configPath}:10: accounts\\.revoked: no token: .+`),
    ),
  ]);
  // worldcat-fetch under full can do what it needs: no finding.
  expect(findings.some((f) => f.message.includes("accounts.full"))).toBe(false);
  for (const f of findings) {
    expect(f.fix).not.toBe("");
    expect(JSON.stringify(f)).not.toContain(env.WRONG_SECRET);
    expect(JSON.stringify(f)).not.toContain(env.HOLDINGS_SECRET);
  }
});

it("the command: `doctor --probe` prints the findings and exits 1; `doctor` alone exits 0", async () => {
  const args = ["--config", configPath, "--data-dir", join(dir, "data")];
  const plain = await startCli(["doctor", ...args], env).exited;
  expect(plain.code, plain.stderr).toBe(0);
  expect(plain.stdout).not.toContain("probe-");
  const probed = await startCli(["doctor", "--probe", "--json", ...args], env).exited;
  expect(probed.code).toBe(1);
  const { findings } = JSON.parse(probed.stdout) as { findings: { code: string; where: string }[] };
  expect(findings.filter((f) => f.code.startsWith("probe-")).map((f) => [f.code, f.where])).toEqual([
    ["probe-denied", `${configPath}:3`],
    ["probe-denied", `${configPath}:3`],
    ["probe-failed", `${configPath}:10`],
  ]);
  expect(probed.stdout).not.toContain(env.HOLDINGS_SECRET);
}, 60_000);
