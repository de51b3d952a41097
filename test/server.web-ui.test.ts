/**
 * The web UI's files from the same origin: `/` and the UI's own paths answer index.html (with a CSP that
 * allows nothing from outside), assets are cached for good, and nothing of /api is swallowed by the fallback.
 * Also the two REST additions the UI uses: the users list (admin) and the date range of the process list.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProperties } from "../src/engine/parameters.js";
import { startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
let webRoot: string;
const INDEX = '<!doctype html><html lang="en"><title>Nightshift</title><div id="root"></div></html>';

beforeAll(async () => {
  webRoot = await mkdtemp(join(tmpdir(), "nightshift-web-"));
  await mkdir(join(webRoot, "assets"));
  await writeFile(join(webRoot, "index.html"), INDEX);
  await writeFile(join(webRoot, "assets", "index-abc123.js"), "console.log('ui');\n");
  t = await startTestServer(undefined, { webRoot: `${webRoot}/` });
});
afterAll(async () => {
  await t.close();
  await rm(webRoot, { recursive: true, force: true });
});

describe("the UI's files", () => {
  it("answers index.html at / with a Content-Security-Policy that loads nothing from outside", async () => {
    const res = await t.call(undefined, "GET", "/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await res.text()).toBe(INDEX);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:/);
  });

  it("answers index.html for the UI's own paths, so that a reload of /processes/7 works", async () => {
    for (const path of ["/processes/7", "/scripts/worldcat-holdings/new", "/processes?status=FAILED"]) {
      const res = await t.call(undefined, "GET", path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(INDEX);
    }
  });

  it("serves assets with a long cache, and a missing one as a 404 problem", async () => {
    const res = await t.call(undefined, "GET", "/assets/index-abc123.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect(await res.text()).toContain("console.log");
    const missing = await t.call(undefined, "GET", "/assets/nope.js");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/problem\+json/);
  });

  it("never answers the UI for /api, the health checks or a write", async () => {
    for (const [method, path] of [
      ["GET", "/api/no-such-thing"],
      ["GET", "/api/system/no-such-thing"],
      ["GET", "/healthz/extra"],
      ["POST", "/processes/7"],
    ] as const) {
      const res = await t.call(t.users.admin, method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get("content-type"), path).toMatch(/problem\+json/);
    }
    const api = await t.call(undefined, "GET", "/api/system/processes");
    expect(api.status).toBe(401);
  });

  it("leaves the UI's files out of the OpenAPI document", async () => {
    const doc = (await t.json(undefined, "GET", "/api/openapi.json")).body as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).not.toContain("/");
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/assets"))).toBe(false);
    expect(Object.keys(doc.paths)).toContain("/api/auth/users");
  });

  it("says how to build the UI when there is no build", async () => {
    const bare = await startTestServer(undefined, { webRoot: join(webRoot, "missing/") });
    try {
      const res = await bare.call(undefined, "GET", "/");
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("npm run build");
    } finally {
      await bare.close();
    }
  });
});

describe("the REST additions the UI uses", () => {
  it("lists the users (id, name, role, no secret) to an admin only", async () => {
    const res = await t.json<{ users: Record<string, string>[] }>(t.users.admin, "GET", "/api/auth/users");
    expect(res.status).toBe(200);
    const names = res.body.users.map((u) => u.name);
    expect(names).toEqual(expect.arrayContaining([t.users.admin.name, t.users.op.name, t.users.viewer.name]));
    for (const u of res.body.users) expect(Object.keys(u).sort()).toEqual(["name", "role", "userId"]);
    expect((await t.call(t.users.op, "GET", "/api/auth/users")).status).toBe(403);
    expect((await t.call(t.users.viewer, "GET", "/api/auth/users")).status).toBe(403);
  });

  it("filters the process list by a creation date range", async () => {
    const script = t.engine.scripts.require("upload");
    const created = await t.engine.service.createProcess({
      script: "upload",
      parameters: parseProperties(script, [{ name: "-i", value: "in.txt" }]),
      startedBy: { source: "rest", userId: t.users.op.id },
      runAt: new Date(Date.now() + 3600_000),
      uploads: [{ name: "in.txt", buffer: Buffer.from("x") }],
    });
    const at = Date.parse(created.createdAt);
    const iso = (ms: number) => new Date(ms).toISOString();
    const count = async (user: typeof t.users.admin, path: string, query: string) => {
      const res = await t.json<{ page: { totalElements: number } }>(user, "GET", `${path}?${query}`);
      expect(res.status, query).toBe(200);
      return res.body.page.totalElements;
    };
    for (const [user, path] of [
      [t.users.admin, "/api/system/processes"],
      [t.users.op, "/api/system/processes/search/own"],
    ] as const) {
      const all = await count(user, path, "size=1");
      expect(all).toBeGreaterThan(0);
      expect(await count(user, path, `createdAfter=${iso(at)}`)).toBe(all);
      expect(await count(user, path, `createdAfter=${iso(at + 1)}`)).toBe(0);
      expect(await count(user, path, `createdBefore=${iso(at)}`)).toBe(0);
      expect(
        await count(user, path, `createdAfter=${iso(at - 60_000)}&createdBefore=${iso(at + 60_000)}`),
      ).toBe(all);
    }
    // A time with an offset is the same instant as in UTC.
    const plus2 = new Date(at + 2 * 3600_000).toISOString().replace("Z", "+02:00");
    expect(
      await count(t.users.admin, "/api/system/processes", `createdAfter=${encodeURIComponent(plus2)}`),
    ).toBe(await count(t.users.admin, "/api/system/processes", `createdAfter=${iso(at)}`));
    const bad = await t.json<{ detail: string }>(
      t.users.admin,
      "GET",
      "/api/system/processes?createdAfter=yesterday",
    );
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain("createdAfter");
  });
});
