/** Review: huge page numbers on the process lists are refused with 400, never a 500 from SQLite's OFFSET. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { dispatcher: false });
});
afterAll(() => t.close());

it.each([
  "/api/system/processes?page=1e300",
  "/api/system/processes?page=99999999999999999999&size=1000",
  "/api/system/processes/search/own?page=1e300",
  "/api/system/processes/search/byProperty?userId=x&page=1e300",
])("GET %s answers 400 naming page", async (path) => {
  const res = await t.json<Json>(t.users.admin, "GET", path);
  expect(res.status).toBe(400);
  expect(res.body.errors?.[0]?.parameter).toBe("querystring.page");
});

it("a large but sane page is an empty page, not an error", async () => {
  const res = await t.json<Json>(t.users.admin, "GET", "/api/system/processes?page=1000000&size=1000");
  expect(res.status).toBe(200);
  expect(res.body._embedded.processes).toEqual([]);
});
