/**
 * Conditional GETs on what the web UI polls: the process lists and one process answer an ETag; the same
 * If-None-Match answers 304 with no body until something changes (a new process, a status change).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { dispatcher: false });
});
afterAll(() => t.close());

async function conditional(path: string, etag: string) {
  return t.call(t.users.op, "GET", path, { headers: { "if-none-match": etag } });
}

async function start(): Promise<number> {
  const res = await t.json<Json>(t.users.op, "POST", "/api/system/scripts/index-discovery/processes", {
    properties: [],
  });
  expect(res.status).toBe(202);
  return res.body.processId;
}

it("a list answers 304 while it is unchanged, and 200 with a new ETag once a process is added", async () => {
  const path = "/api/system/processes/search/own?page=0&size=20";
  const first = await t.call(t.users.op, "GET", path);
  expect(first.status).toBe(200);
  const etag = first.headers.get("etag") ?? "";
  expect(etag).toMatch(/^W\/".+"$/);
  expect(first.headers.get("cache-control")).toBe("private, no-cache");
  await first.text();

  const same = await conditional(path, etag);
  expect(same.status).toBe(304);
  expect(await same.text()).toBe("");

  const id = await start();
  const changed = await conditional(path, etag);
  expect(changed.status).toBe(200);
  expect(changed.headers.get("etag")).not.toBe(etag);
  expect(((await changed.json()) as Json)._embedded.processes[0].processId).toBe(id);
});

it("one process answers 304 until its status changes", async () => {
  const id = await start();
  const path = `/api/system/processes/${id}`;
  const first = await t.call(t.users.op, "GET", path);
  const etag = first.headers.get("etag") ?? "";
  expect(((await first.json()) as Json).processStatus).toBe("SCHEDULED");
  expect((await conditional(path, etag)).status).toBe(304);
  await t.dispatcher.start();
  await t.waitForStatus(id, "COMPLETED", "FAILED");
  const after = await conditional(path, etag);
  expect(after.status).toBe(200);
  expect(((await after.json()) as Json).processStatus).not.toBe("SCHEDULED");
});

it("another user's ETag is no way in: a 403 stays a 403", async () => {
  const id = await start();
  const path = `/api/system/processes/${id}`;
  const own = await t.call(t.users.op, "GET", path);
  const etag = own.headers.get("etag") ?? "";
  await own.text();
  const other = await t.call(t.users.op2, "GET", path, { headers: { "if-none-match": etag } });
  expect(other.status).toBe(403);
});
