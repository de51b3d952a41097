/**
 * API tokens (issue 15 item 8): optional expiry, list and revoke one, last use recorded at most once a minute;
 * a revoked token is refused by a running server from its next request, whatever cache it keeps.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../src/server/auth/secret-token.js";
import { createUserDirectory } from "../src/server/auth/users.js";
import { insertApiToken } from "../src/store/queries/api-tokens.js";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const me = (token: string) =>
  fetch(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });

describe("API tokens over REST", () => {
  it("a user creates, lists and revokes their own token; the revoked token is refused on the next request", async () => {
    const created = await t.json<Json>(t.users.op, "POST", "/api/auth/tokens", {
      label: "ci",
      expires: "90d",
    });
    expect(created.status).toBe(201);
    const { token, id } = created.body;
    expect(token).toMatch(/^nst_/);
    expect(Date.parse(created.body.expiresAt) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    // Used (and so cached by the server) before it is revoked.
    expect((await me(token)).status).toBe(200);
    expect((await me(token)).status).toBe(200);
    const listed = await t.json<Json>(t.users.op, "GET", "/api/auth/tokens");
    const row = listed.body.tokens.find((x: Json) => x.id === id);
    expect(row).toMatchObject({ label: "ci", expiresAt: created.body.expiresAt });
    expect(row.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(JSON.stringify(listed.body)).not.toContain(t.users.op.token);
    // Another operator may not revoke it, nor learn that it exists.
    expect((await t.json(t.users.op2, "DELETE", `/api/auth/tokens/${id}`)).status).toBe(404);
    expect((await me(token)).status).toBe(200);
    expect((await t.json(t.users.op, "DELETE", `/api/auth/tokens/${id}`)).status).toBe(204);
    const refused = await me(token);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as Json).detail).toBe("invalid or revoked API token");
    expect((await t.json(t.users.op, "DELETE", `/api/auth/tokens/${id}`)).status).toBe(404);
  });

  it("a token revoked by an admin command in the server's process is refused at once", async () => {
    const admin = createUserDirectory(t.engine.store); // as `user token --revoke` would, on the same store
    const { token, record } = await admin.createToken(t.users.op2.name, { label: "laptop" });
    expect((await me(token)).status).toBe(200);
    expect(await admin.revokeToken(record.id)).toBe(true);
    expect((await me(token)).status).toBe(401);
  });

  it("an admin revokes another user's token", async () => {
    const created = await t.json<Json>(t.users.viewer, "POST", "/api/auth/tokens", {});
    expect(created.body.expiresAt).toBeNull();
    expect((await me(created.body.token)).status).toBe(200);
    expect((await t.json(t.users.admin, "DELETE", `/api/auth/tokens/${created.body.id}`)).status).toBe(204);
    expect((await me(created.body.token)).status).toBe(401);
  });

  it("an expired token is refused with a 401 saying it expired", async () => {
    let clock = Date.now();
    const users = createUserDirectory(t.engine.store, () => clock);
    const token = await users.issueToken(t.users.op.name, { expiresAt: new Date(clock + 60_000) });
    expect((await users.checkToken(token)) ?? {}).toHaveProperty("user");
    clock += 60_000;
    expect(await users.checkToken(token)).toEqual({ expired: new Date(clock).toISOString() });
    expect(await users.byToken(token)).toBeUndefined();
    // Against the running server: a token whose expiry has passed.
    const expired = `nst_${"x".repeat(43)}`;
    await t.engine.store.write((db) =>
      insertApiToken(db, {
        userId: t.users.op.id,
        tokenHash: sha256(expired),
        createdAt: "2020-01-01T00:00:00.000Z",
        expiresAt: "2021-01-01T00:00:00.000Z",
      }),
    );
    const res = await me(expired);
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).detail).toBe(
      "API token expired at 2021-01-01T00:00:00.000Z: ask for a new one",
    );
    const bad = await t.json<Json>(t.users.op, "POST", "/api/auth/tokens", { expires: "soon" });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("expected a duration (90d, 12h, 30m, 2w) or a date");
    expect((await t.json(t.users.op, "POST", "/api/auth/tokens", { expires: "2001-01-01" })).status).toBe(
      400,
    );
  });

  it("last use is recorded at most once a minute per token", async () => {
    let clock = Date.parse("2030-01-01T00:00:00Z");
    const users = createUserDirectory(t.engine.store, () => clock);
    const { token, record } = await users.createToken(t.users.op2.name, {});
    const lastUsed = async () => {
      // the write is fire-and-forget: a read through the store's writer sees it once queued writes are done
      await t.engine.store.write(async () => undefined);
      return (await users.token(record.id))?.lastUsedAt;
    };
    await users.byToken(token);
    expect(await lastUsed()).toBe("2030-01-01T00:00:00.000Z");
    clock += 30_000;
    await users.byToken(token);
    expect(await lastUsed()).toBe("2030-01-01T00:00:00.000Z");
    clock += 31_000;
    await users.byToken(token);
    expect(await lastUsed()).toBe("2030-01-01T00:01:01.000Z");
  });
});

describe("nightshift user tokens / token --revoke", () => {
  const BIN = join(import.meta.dirname, "..", "bin", "nightshift.js");
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "nightshift-cli-tokens-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, "user", ...args, "--data-dir", dir], {
        env: { ...process.env, NIGHTSHIFT_FROM_SOURCE: "1" },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => {
        stdout += c;
      });
      child.stderr.on("data", (c: Buffer) => {
        stderr += c;
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });

  it("token --expires/--label, tokens lists without secrets, token --revoke deletes one", async () => {
    expect((await run(["add", "--name", "vera", "--role", "viewer"])).code).toBe(0);
    const made = await run(["token", "--name", "vera", "--label", "backup job", "--expires", "2099-12-31"]);
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    const token = made.stdout.trimEnd().split("\n").at(-1) ?? "";
    expect(token).toMatch(/^nst_/);
    const id = Number(
      /new API token (\d+) for vera, expires 2099-12-31T23:59:59.999Z/.exec(made.stdout)?.[1],
    );
    expect(id).toBeGreaterThan(0);
    const listed = await run(["tokens", "--name", "vera"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split("\n")[0]).toMatch(/^id\s+label\s+created\s+expires\s+last used$/);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}\\s+backup job\\s+\\S+\\s+2099-12-31T23:59:59.999Z\\s+never$`, "m"),
    );
    expect(listed.stdout).not.toContain("nst_");
    const bad = await run(["token", "--name", "vera", "--expires", "whenever"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("--expires 'whenever': expected a duration");
    expect((await run(["token", "--revoke", String(id)])).stdout).toContain(`API token ${id} revoked`);
    const again = await run(["token", "--revoke", String(id)]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no API token with id ${id}`);
  }, 240_000); // each command is a child process started from source (seconds each on a busy machine)
});
