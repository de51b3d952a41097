/**
 * The process lists are kept, serialised, while the store is unchanged (src/server/page-cache.ts): a kept
 * answer is byte for byte the fresh one, any write (this server's, another OS process's on the same SQLite
 * file) is seen at the next request, and what differs per caller, Host or Accept never leaks across.
 * On PostgreSQL nothing is kept.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/store/index.js";
import type { Store } from "../src/store/store.js";
import { usePostgres } from "./fixtures/postgres/server.js";
import { type Json, startTestServer, type TestServer, type TestUser } from "./fixtures/server/harness.js";

const LIST = "/api/system/processes?page=0&size=5";

async function start(t: TestServer, user: TestUser): Promise<number> {
  const res = await t.json<Json>(user, "POST", "/api/system/scripts/index-discovery/processes", {
    properties: [],
  });
  expect(res.status).toBe(202);
  return res.body.processId;
}

/** A GET with any headers (fetch cannot send another Host): status, headers and body text. */
function get(
  t: TestServer,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Sets a process's status from another store on the same database: the CLI or another node. */
async function setStatusElsewhere(other: Store, id: number, status: "CANCELLED" | "FAILED") {
  await other.write((db) =>
    db
      .updateTable("processes")
      .set({ status, finished_at: new Date().toISOString() })
      .where("id", "=", id)
      .execute(),
  );
}

async function statusInList(t: TestServer, id: number): Promise<string | undefined> {
  const r = await t.json<Json>(t.users.admin, "GET", LIST);
  expect(r.status).toBe(200);
  return (r.body._embedded.processes as Json[]).find((p) => p.processId === id)?.processStatus;
}

describe("on SQLite", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({}, { dispatcher: false });
  });
  afterAll(() => t.close());

  it("a kept list is the same bytes and ETag; a 304 while unchanged", async () => {
    await start(t, t.users.op);
    const auth = { authorization: `Bearer ${t.users.admin.token}` };
    const first = await get(t, LIST, auth);
    const again = await get(t, LIST, auth);
    expect(first.status).toBe(200);
    expect(again.body).toBe(first.body);
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers["content-type"]).toBe("application/hal+json; charset=utf-8");
    const unchanged = await get(t, LIST, { ...auth, "if-none-match": String(first.headers.etag) });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body).toBe("");
  });

  it("a change made by another OS process (its own connection to the file) shows at the next request", async () => {
    const id = await start(t, t.users.op);
    expect(await statusInList(t, id)).toBe("SCHEDULED");
    expect(await statusInList(t, id)).toBe("SCHEDULED"); // now kept
    const cli = await openStore(t.dataDir);
    try {
      await setStatusElsewhere(cli, id, "CANCELLED");
    } finally {
      await cli.close();
    }
    expect(await statusInList(t, id)).toBe("CANCELLED");
  });

  it("a change through the server's own store shows at the next request", async () => {
    const id = await start(t, t.users.op);
    expect(await statusInList(t, id)).toBe("SCHEDULED");
    expect(await statusInList(t, id)).toBe("SCHEDULED");
    await setStatusElsewhere(t.engine.store, id, "FAILED");
    expect(await statusInList(t, id)).toBe("FAILED");
  });

  it("search/own is kept per caller: the same URL never answers another user's list", async () => {
    const mine = await start(t, t.users.op);
    const theirs = await start(t, t.users.op2);
    const own = "/api/system/processes/search/own?page=0&size=50";
    for (let round = 0; round < 2; round++) {
      const a = await t.json<Json>(t.users.op, "GET", own);
      const b = await t.json<Json>(t.users.op2, "GET", own);
      const ids = (r: { body: Json }) => (r.body._embedded.processes as Json[]).map((p) => p.processId);
      expect(ids(a)).toContain(mine);
      expect(ids(a)).not.toContain(theirs);
      expect(ids(b)).toContain(theirs);
      expect(ids(b)).not.toContain(mine);
      expect(a.body._links.self.href).toBe(b.body._links.self.href);
    }
  });

  it("a kept list still needs its permission: a non-admin gets 403, not the admin's kept page", async () => {
    expect((await t.json(t.users.admin, "GET", LIST)).status).toBe(200);
    expect((await t.json(t.users.op, "GET", LIST)).status).toBe(403);
    expect((await t.json(undefined, "GET", LIST)).status).toBe(401);
  });

  it("links follow each request's Host, and Accept picks the type of the same body", async () => {
    const auth = { authorization: `Bearer ${t.users.admin.token}` };
    const a = await get(t, LIST, { ...auth, host: "a.example:8080" });
    const b = await get(t, LIST, { ...auth, host: "b.example:9090" });
    expect(JSON.parse(a.body)._links.self.href).toBe(`http://a.example:8080${LIST}`);
    expect(JSON.parse(b.body)._links.self.href).toBe(`http://b.example:9090${LIST}`);
    expect(a.headers.etag).not.toBe(b.headers.etag);
    const hal = await get(t, LIST, { ...auth, host: "a.example:8080", accept: "application/hal+json" });
    const plain = await get(t, LIST, { ...auth, host: "a.example:8080", accept: "application/json" });
    expect(hal.headers["content-type"]).toBe("application/hal+json; charset=utf-8");
    expect(plain.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(plain.body).toBe(hal.body);
    expect(plain.headers.etag).toBe(hal.headers.etag);
    expect(plain.headers.vary).toBe("accept, cookie, authorization");
  });

  it("another page or filter is another answer", async () => {
    const p0 = await t.json<Json>(t.users.admin, "GET", "/api/system/processes?page=0&size=1");
    const p1 = await t.json<Json>(t.users.admin, "GET", "/api/system/processes?page=1&size=1");
    expect(p0.body._embedded.processes[0].processId).not.toBe(p1.body._embedded.processes[0].processId);
    const failed = await t.json<Json>(t.users.admin, "GET", "/api/system/processes?processStatus=FAILED");
    for (const p of failed.body._embedded.processes as Json[]) expect(p.processStatus).toBe("FAILED");
  });
});

describe("on PostgreSQL", () => {
  const pg = usePostgres();
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ databaseUrl: await pg.server.database() }, { dispatcher: false });
  }, 60_000);
  afterAll(() => t?.close());

  it("nothing is kept: another node's change shows at the next request", async () => {
    expect(t.engine.store.dialect).toBe("postgres");
    const id = await start(t, t.users.op);
    expect(await statusInList(t, id)).toBe("SCHEDULED");
    expect(await statusInList(t, id)).toBe("SCHEDULED");
    const node = await openStore({ dataDir: t.dataDir, databaseUrl: t.engine.config.databaseUrl });
    try {
      await setStatusElsewhere(node, id, "CANCELLED");
    } finally {
      await node.close();
    }
    expect(await statusInList(t, id)).toBe("CANCELLED");
  });
});
