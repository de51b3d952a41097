/**
 * The accounts' REST endpoints the web UI's Accounts page reads: "check access" (the permission probe of
 * `worldcat check` over HTTP, against a real sandbox) and the doctor's findings; admin only, never a secret.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

const FULL_SECRET = "full-secret-0123456789abcdef";
const READ_SECRET = "read-secret-0123456789abcdef";
const env = { LAB_KEY: "lab-key", LAB_SECRET: FULL_SECRET, RO_KEY: "ro-key", RO_SECRET: READ_SECRET };

let sandbox: Sandbox;
let t: TestServer;

beforeAll(async () => {
  const institution = {
    holdingCodes: [{ code: "MAIN", name: "Main" }],
    contexts: [],
    country: "US",
    state: "US-OH",
    principalIDNS: "urn:oclc:wms:da",
  };
  sandbox = await startSandbox({
    port: 0,
    seed: 50,
    accounts: [
      {
        key: env.LAB_KEY,
        secret: FULL_SECRET,
        registryId: "128807",
        symbol: "OCPSB",
        scopes: ["WorldCatMetadataAPI"],
        principalID: "p-1",
        ...institution,
      },
      {
        key: env.RO_KEY,
        secret: READ_SECRET,
        registryId: "58210",
        symbol: "RDONL",
        scopes: ["WorldCatMetadataAPI:view_brief_bibs"],
        principalID: "p-2",
        ...institution,
      },
    ],
  });
  const account = (key: string, secret: string, registryId: string) => ({
    key: `env:${key}`,
    secret: `env:${secret}`,
    registryId,
    sandboxUrl: sandbox.url,
  });
  t = await startTestServer(
    {
      accounts: {
        lab: {
          ...account("LAB_KEY", "LAB_SECRET", "128807"),
          principalID: "p-1",
          principalIDNS: "urn:oclc:wms:da",
        },
        readonly: {
          ...account("RO_KEY", "RO_SECRET", "58210"),
          scopes: ["WorldCatMetadataAPI:view_brief_bibs"],
        },
        unset: account("NOT_SET_KEY", "NOT_SET_SECRET", "1"),
      },
      scripts: { "worldcat-holdings": { account: "readonly" }, "worldcat-fetch": { account: "lab" } },
    },
    { dispatcher: false, accountEnv: env },
  );
});
afterAll(async () => {
  await t?.close();
  await sandbox?.close();
});

it("check access probes the account: a full account may do everything, without a secret in the answer", async () => {
  const res = await t.json<Json>(t.users.admin, "POST", "/api/system/accounts/lab/check");
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({
    account: "lab",
    sandbox: true,
    scripts: [{ script: "worldcat-fetch", denied: [] }],
  });
  expect(res.body.tokenError).toBeUndefined();
  const verdict = (op: string) => res.body.results.find((r: Json) => r.operation === op)?.verdict;
  expect(verdict("set holdings")).toBe("yes");
  expect(verdict("read bibs")).toBe("yes");
  expect(JSON.stringify(res.body)).not.toContain(FULL_SECRET);
});

it("a read-only account is refused the writes its bound script needs", async () => {
  const res = await t.json<Json>(t.users.admin, "POST", "/api/system/accounts/readonly/check");
  expect(res.status).toBe(200);
  const holdings = res.body.scripts.find((s: Json) => s.script === "worldcat-holdings");
  expect(holdings.denied).toEqual(expect.arrayContaining(["set holdings", "unset holdings"]));
  expect(res.body.results.find((r: Json) => r.operation === "set holdings").verdict).toBe("no");
  expect(JSON.stringify(res.body)).not.toContain(READ_SECRET);
});

it("an account whose secret is not set answers 422 naming it; an unknown one 404", async () => {
  const unset = await t.json<Json>(t.users.admin, "POST", "/api/system/accounts/unset/check");
  expect(unset.status).toBe(422);
  expect(unset.body.detail).toContain("NOT_SET");
  const none = await t.json<Json>(t.users.admin, "POST", "/api/system/accounts/nobody/check");
  expect(none.status).toBe(404);
  expect(none.body.detail).toContain("'nobody'");
});

it("only admins may check accounts or read the doctor", async () => {
  for (const user of [t.users.op, t.users.viewer]) {
    expect((await t.json(user, "POST", "/api/system/accounts/lab/check")).status).toBe(403);
    expect((await t.json(user, "GET", "/api/system/doctor")).status).toBe(403);
  }
  expect((await t.json(undefined, "GET", "/api/system/doctor")).status).toBe(401);
});

it("the doctor's findings: the account whose secret is not set, errors first, no secret", async () => {
  const res = await t.json<Json>(t.users.admin, "GET", "/api/system/doctor");
  expect(res.status).toBe(200);
  const findings = res.body.findings as Json[];
  expect(findings.length).toBeGreaterThan(0);
  for (const f of findings)
    expect(Object.keys(f).sort()).toEqual(["code", "fix", "message", "severity", "where"]);
  expect(findings.some((f) => f.severity === "error" && f.message.includes("accounts.unset"))).toBe(true);
  const firstWarning = findings.findIndex((f) => f.severity === "warning");
  if (firstWarning >= 0)
    expect(findings.slice(firstWarning).every((f) => f.severity === "warning")).toBe(true);
  expect(JSON.stringify(res.body)).not.toContain(FULL_SECRET);
});

it("the OpenAPI document lists both endpoints", async () => {
  const doc = await t.json<Json>(undefined, "GET", "/api/openapi.json");
  expect(doc.body.paths["/api/system/accounts/{name}/check"]?.post).toBeDefined();
  expect(doc.body.paths["/api/system/doctor"]?.get).toBeDefined();
});
