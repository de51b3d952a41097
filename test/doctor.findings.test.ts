import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.js";
import { runDoctor } from "../src/doctor/index.js";
import { startCli } from "./fixtures/scripts/cli-harness.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nightshift-doctor-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const PRINCIPAL = "principalID: p-1\n    principalIDNS: urn:oclc:wms:da";

/** The findings of a config file (written with `yaml`), as `severity code line: message`. */
async function doctor(yaml: string, env: NodeJS.ProcessEnv = { K: "key", S: "secret-value" }) {
  const configPath = join(dir, "config.yaml");
  await writeFile(configPath, yaml);
  const config = await loadConfig({ configPath, dataDir: dir, env: {} });
  const findings = await runDoctor(config, { env });
  return findings.map(
    (f) => `${f.severity} ${f.code} ${f.where.replace(configPath, "config.yaml")}: ${f.message}`,
  );
}

it("a clean configuration has no findings", async () => {
  expect(
    await doctor(`accounts:
  weeding: { key: env:K, secret: env:S, ${PRINCIPAL.replace("\n    ", ", ")} }
scripts:
  worldcat-holdings: { account: weeding }
`),
  ).toEqual([]);
});

it("inline-secret", async () => {
  expect(await doctor("accounts:\n  a:\n    key: k\n    secret: hunter2-inline\n")).toEqual([
    "error inline-secret config.yaml:4: accounts.a.secret: the secret is written in the config file",
  ]);
  expect(
    await doctor(
      "channels:\n  m:\n    type: email\n    url: smtp://m.example.edu\n    password: pw-inline\n    from: a@example.edu\n    to: [b@example.edu]\n",
    ),
  ).toEqual([
    "error inline-secret config.yaml:5: channels.m.password: the secret is written in the config file",
  ]);
});

it("secret-missing and secret-file-readable", async () => {
  expect(await doctor("accounts:\n  a: { key: k, secret: env:NOPE }\n")).toEqual([
    "error secret-missing config.yaml:2: accounts.a.secret: environment variable NOPE is not set",
  ]);
  const file = join(dir, "a.secret");
  await writeFile(file, "s3cret\n");
  await chmod(file, 0o644);
  expect(await doctor(`accounts:\n  a: { key: k, secret: "file:${file}" }\n`)).toEqual([
    `error secret-file-readable config.yaml:2: accounts.a.secret: secret file ${file} is readable by others (mode 0644)`,
  ]);
  await chmod(file, 0o600);
  expect(await doctor(`accounts:\n  a: { key: k, secret: "file:${file}" }\n`)).toEqual([]);
});

it("account-shared: one account for schedules of different scripts", async () => {
  expect(
    await doctor(`accounts:
  shared: { key: env:K, secret: env:S }
schedules:
  nightly-fetch: { script: worldcat-fetch, cron: "0 2 * * *", account: shared }
  weekly-codes: { script: worldcat-holding-codes, cron: "0 3 * * 1", account: shared }
`),
  ).toEqual([
    "warning account-shared config.yaml:2: accounts.shared: used by schedules or triggers of 2 scripts: schedule nightly-fetch (worldcat-fetch), schedule weekly-codes (worldcat-holding-codes)",
  ]);
});

it("account-excess-scopes and principal-missing", async () => {
  expect(
    await doctor(`accounts:
  weeding:
    key: env:K
    secret: env:S
    scopes: [WorldCatMetadataAPI, WMS_ACQ]
scripts:
  worldcat-holdings: { account: weeding }
`),
  ).toEqual([
    "error principal-missing config.yaml:2: accounts.weeding: no principalID/principalIDNS, but worldcat-holdings writes with it",
    "warning account-excess-scopes config.yaml:5: accounts.weeding.scopes: scopes no bound script needs: WMS_ACQ (bound: worldcat-holdings)",
  ]);
});

it("account-environment-mismatch: a schedule under a sandbox account for a script bound to a production one", async () => {
  expect(
    await doctor(`accounts:
  prod: { key: env:K, secret: env:S, ${PRINCIPAL.replace("\n    ", ", ")} }
  test: { key: env:K, secret: env:S, sandboxUrl: "http://127.0.0.1:9999", ${PRINCIPAL.replace("\n    ", ", ")} }
scripts:
  worldcat-holdings: { account: prod }
schedules:
  weekly: { script: worldcat-holdings, cron: "0 3 * * 1", account: test }
`),
  ).toEqual([
    "error account-environment-mismatch config.yaml:7: schedules.weekly.account: schedule weekly runs worldcat-holdings under SANDBOX account test, but the script is bound to PRODUCTION account prod",
  ]);
});

it("unknown-script and unknown-account", async () => {
  expect(
    await doctor(`schedules:
  nightly: { script: no-such-script, cron: "0 2 * * *", account: nobody }
scripts:
  worldcat-fetch: { account: ghost }
`),
  ).toEqual([
    "error unknown-script config.yaml:2: schedules.nightly.script: no script named no-such-script",
    "error unknown-account config.yaml:2: schedules.nightly.account: no account named nobody",
    "error unknown-account config.yaml:4: scripts.worldcat-fetch.account: no account named ghost",
  ]);
});

it("script-module-unreadable and notify-config", async () => {
  expect(await doctor("scriptModules: [./missing.mjs]\n")).toEqual([
    `error script-module-unreadable config.yaml:1: scriptModules.0: cannot load ${join(dir, "missing.mjs")}: ENOENT`,
  ]);
  expect(await doctor("notify:\n  - { when: failed, channel: nowhere }\n")).toEqual([
    'error notify-config config.yaml:2: notify.0.channel: no such channel "nowhere" (no channels configured)',
  ]);
});

it("the command: one line per finding, --json, exit 1 on an error; worker refuses to start", async () => {
  const configPath = join(dir, "cli.yaml");
  await writeFile(
    configPath,
    "accounts:\n  a: { key: k, secret: env:DOCTOR_NOPE }\nscripts:\n  worldcat-fetch: { account: a }\n",
  );
  const args = ["--config", configPath, "--data-dir", join(dir, "data")];
  const text = await startCli(["doctor", ...args]).exited;
  expect(text.code).toBe(1);
  expect(text.stdout).toBe(
    `error secret-missing ${configPath}:2: accounts.a.secret: environment variable DOCTOR_NOPE is not set; fix: set DOCTOR_NOPE in the service's environment\n`,
  );
  const json = await startCli(["doctor", "--json", ...args]).exited;
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toEqual({
    findings: [
      {
        severity: "error",
        code: "secret-missing",
        where: `${configPath}:2`,
        message: "accounts.a.secret: environment variable DOCTOR_NOPE is not set",
        fix: "set DOCTOR_NOPE in the service's environment",
      },
    ],
  });
  const worker = await startCli(["worker", ...args]).exited;
  expect(worker.code).toBe(1);
  expect(worker.stderr).toContain(`nightshift worker: error secret-missing ${configPath}:2:`);
  expect(worker.stderr).toContain("refusing to start: 1 error in the configuration (see nightshift doctor)");
  const ok = await startCli(["doctor", ...args], { DOCTOR_NOPE: "set-now" }).exited;
  expect(ok.code).toBe(0);
  expect(ok.stdout).toBe("");
}, 60_000);
