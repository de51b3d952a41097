/**
 * A script bound to a service account (`scripts.<name>.account`, issue 10) over REST: its processes run under
 * that account by default; an operator may name the bound account but not another one (403, no process); an
 * admin may choose any account.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Engine } from "../src/engine/engine.js";
import { createUserDirectory } from "../src/server/auth/users.js";
import { type RunningServer, startServer } from "../src/server/start.js";
import { tempDir, testEngine } from "./fixtures/scripts/harness.js";

let dir: { dir: string; cleanup(): Promise<void> };
let engine: Engine;
let server: RunningServer;
const tokens: Record<"admin" | "operator", string> = { admin: "", operator: "" };

beforeAll(async () => {
  dir = await tempDir();
  engine = await testEngine(dir.dir, {
    scripts: {
      "worldcat-holding-codes": { roles: ["operator"], account: "weeding-2026" },
    },
  });
  const users = createUserDirectory(engine.store);
  await users.add({ name: "root", role: "admin", password: "correct horse battery" });
  await users.add({ name: "olga", role: "operator", password: "correct horse battery" });
  tokens.admin = await users.issueToken("root");
  tokens.operator = await users.issueToken("olga");
  server = await startServer(engine, { port: 0, host: "127.0.0.1", bootstrapAdmin: false });
});
afterAll(async () => {
  await server.close();
  await engine.close();
  await dir.cleanup();
});

/** Starts `script` (delayed a day: nothing runs) as `who`, with `--account` when given. */
async function start(who: "admin" | "operator", script: string, account?: string) {
  const properties = account === undefined ? [] : [{ name: "--account", value: account }];
  const res = await fetch(`${server.url}/api/system/scripts/${script}/processes`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json" },
    body: JSON.stringify({ properties, runAt: new Date(Date.now() + 86_400_000).toISOString() }),
  });
  const body = (await res.json()) as { processId?: number; message?: string; detail?: string };
  const process = body.processId === undefined ? undefined : await engine.service.getProcess(body.processId);
  return { status: res.status, body, account: process?.account };
}

const count = async () => (await engine.service.listProcesses({ size: 1 })).total;

it("runs a bound script under its account by default, for an operator as for an admin", async () => {
  expect(await start("operator", "worldcat-holding-codes")).toMatchObject({
    status: 202,
    account: "weeding-2026",
  });
  expect(await start("operator", "worldcat-holding-codes", "weeding-2026")).toMatchObject({
    status: 202,
    account: "weeding-2026",
  });
});

it("refuses an operator's other account with 403 and creates nothing; an admin may choose it", async () => {
  const before = await count();
  const refused = await start("operator", "worldcat-holding-codes", "sandbox");
  expect(refused.status).toBe(403);
  expect(JSON.stringify(refused.body)).toContain(
    "script worldcat-holding-codes runs under account weeding-2026; only an admin may run it under another account (sandbox)",
  );
  expect(await count()).toBe(before);
  expect(await start("admin", "worldcat-holding-codes", "sandbox")).toMatchObject({
    status: 202,
    account: "sandbox",
  });
});

it("an account that does not exist is 422 before a process exists, the accounts named to an admin only", async () => {
  const before = await count();
  const admin = await start("admin", "worldcat-holding-codes", "weeding-2062");
  expect(admin.status).toBe(422);
  expect(JSON.stringify(admin.body)).toContain(
    "--account: no service account named 'weeding-2062' (accounts: sandbox)",
  );
  const operator = await start("operator", "worldcat-holding-codes", "weeding-2062");
  expect(operator.status).toBe(403);
  expect(JSON.stringify(operator.body)).not.toContain("accounts:");
  expect(await count()).toBe(before);
});
