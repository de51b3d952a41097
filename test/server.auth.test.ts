/** Password login, the session cookie, CSRF double submit, logout, tokens, and the first admin. */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureInitialAdmin } from "../src/server/auth/initial-admin.js";
import { createUserDirectory } from "../src/server/auth/users.js";
import { openStore } from "../src/store/index.js";
import { type Json, PASSWORD, startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
let proxied: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  proxied = await startTestServer({}, { trustProxy: true });
});
afterAll(async () => {
  await t.close();
  await proxied.close();
});

async function login(
  server: TestServer,
  name: string,
  password = PASSWORD,
  headers: Record<string, string> = {},
) {
  return fetch(`${server.url}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ name, password }),
  });
}

/** `name=value` pairs of the Set-Cookie headers, and their attributes. */
function cookies(res: Response): Record<string, { value: string; attributes: string }> {
  const out: Record<string, { value: string; attributes: string }> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split("; ");
    const eq = pair.indexOf("=");
    out[pair.slice(0, eq)] = { value: decodeURIComponent(pair.slice(eq + 1)), attributes: attrs.join("; ") };
  }
  return out;
}

describe("password login and sessions", () => {
  it("sets an HttpOnly SameSite=Lax session cookie (not Secure over plain HTTP) and returns the CSRF token", async () => {
    const res = await login(t, "olga");
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expect(body).toMatchObject({
      name: "olga",
      role: "operator",
      userId: t.users.op.id,
      authenticatedBy: "session",
    });
    const c = cookies(res);
    expect(c.nightshift_session.attributes).toContain("HttpOnly");
    expect(c.nightshift_session.attributes).toContain("SameSite=Lax");
    expect(c.nightshift_session.attributes).not.toContain("Secure");
    expect(c.nightshift_csrf.attributes).not.toContain("HttpOnly");
    expect(c.nightshift_csrf.value).toBe(body.csrfToken);
  });

  it("marks the cookie Secure behind a TLS proxy (X-Forwarded-Proto: https with trustProxy)", async () => {
    const res = await login(proxied, "olga", PASSWORD, { "x-forwarded-proto": "https" });
    expect(cookies(res).nightshift_session.attributes).toContain("Secure");
    const plain = await login(t, "olga", PASSWORD, { "x-forwarded-proto": "https" });
    expect(cookies(plain).nightshift_session.attributes).not.toContain("Secure");
  });

  it("wrong password and unknown user get the same 401", async () => {
    const wrong = await login(t, "olga", "not the password");
    const unknown = await login(t, "nobody", PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as Json).detail).toBe(((await unknown.json()) as Json).detail);
    expect(cookies(wrong)).toEqual({});
  });

  it("cookie reads work; cookie writes need the X-CSRF-Token header; logout ends the session", async () => {
    const res = await login(t, "olga");
    const c = cookies(res);
    const cookie = `nightshift_session=${c.nightshift_session.value}; nightshift_csrf=${c.nightshift_csrf.value}`;
    const me = await fetch(`${t.url}/api/auth/me`, { headers: { cookie } });
    expect(((await me.json()) as Json).csrfToken).toBe(c.nightshift_csrf.value);
    const start = (headers: Record<string, string>) =>
      fetch(`${t.url}/api/system/scripts/index-discovery/processes`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...headers },
        body: JSON.stringify({ properties: [] }),
      });
    const before = await t.processCount();
    const missing = await start({});
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as Json).detail).toContain("CSRF token missing or invalid");
    const forged = await start({ "x-csrf-token": "forged" });
    expect(forged.status).toBe(403);
    expect(await t.processCount()).toBe(before);
    const ok = await start({ "x-csrf-token": c.nightshift_csrf.value });
    expect(ok.status).toBe(202);
    const logout = await fetch(`${t.url}/api/auth/logout`, {
      method: "POST",
      headers: { cookie, "x-csrf-token": c.nightshift_csrf.value },
    });
    expect(logout.status).toBe(204);
    expect(cookies(logout).nightshift_session.attributes).toContain("Max-Age=0");
    const after = await fetch(`${t.url}/api/auth/me`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as Json).detail).toContain("log in again");
  });

  it("a session cookie from another server's store is refused", async () => {
    const res = await login(proxied, "olga");
    const other = cookies(res).nightshift_session.value;
    const me = await fetch(`${t.url}/api/auth/me`, { headers: { cookie: `nightshift_session=${other}` } });
    expect(me.status).toBe(401);
  });
});

describe("API tokens", () => {
  it("bearer tokens authenticate and skip CSRF; removing the user revokes them", async () => {
    const users = createUserDirectory(t.engine.store);
    await users.add({ name: "temp", role: "operator" });
    const token = await users.issueToken("temp");
    expect(token).toMatch(/^nst_[A-Za-z0-9_-]{43}$/);
    const me = await fetch(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as Json).name).toBe("temp");
    const rows = await t.engine.store.db.selectFrom("api_tokens").select("token_hash").execute();
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    await users.remove("temp");
    const after = await fetch(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as Json).detail).toBe("invalid or revoked API token");
  });

  it("unsupported Authorization schemes get a clear 401", async () => {
    const res = await fetch(`${t.url}/api/auth/me`, { headers: { authorization: "Basic b2xnYTpwdw==" } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).detail).toContain("use 'Bearer <token>'");
  });
});

describe("the first admin", () => {
  it("is created only when there are no users, and written to a 0600 file", async () => {
    const users = createUserDirectory(t.engine.store);
    expect(await ensureInitialAdmin(users, t.dataDir)).toBeUndefined();
    const dir = await mkdtemp(join(tmpdir(), "nightshift-admin-"));
    const store = await openStore(dir);
    try {
      const fresh = createUserDirectory(store);
      const admin = await ensureInitialAdmin(fresh, dir);
      expect(admin?.name).toBe("admin");
      expect((await stat(admin!.file)).mode & 0o777).toBe(0o600);
      const text = await readFile(admin!.file, "utf8");
      expect(text).toContain(`password: ${admin!.password}`);
      expect(text).toContain(`token: ${admin!.token}`);
      expect((await fresh.byPassword("admin", admin!.password))?.role).toBe("admin");
      expect((await fresh.byToken(admin!.token))?.role).toBe("admin");
      expect(await ensureInitialAdmin(fresh, dir)).toBeUndefined();
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
