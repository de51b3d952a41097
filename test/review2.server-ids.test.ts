/** Review 2: process ids beyond a safe integer, and bulk deletes of too many ids, are 400s naming the field. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { dispatcher: false });
});
afterAll(() => t.close());

it.each([
  ["GET", "/api/system/processes/99999999999999999999", "params.id"],
  ["GET", "/api/system/processes/99999999999999999999/output", "params.id"],
  ["DELETE", "/api/system/processes/99999999999999999999", "params.id"],
  ["GET", "/api/system/processes/1/files/input/99999999999999999999/content", "params.fileId"],
])("%s %s -> 400 naming %s", async (method, path, parameter) => {
  const res = await t.json<Json>(t.users.admin, method, path);
  expect(res.status).toBe(400);
  expect(res.body.errors.map((e: Json) => e.parameter)).toContain(parameter);
});

it("bulk delete: more than 1000 ids, or an id that is no process id, in the query is a 400", async () => {
  const many = Array.from({ length: 1001 }, (_, i) => i + 1).join(",");
  const tooMany = await t.json<Json>(t.users.admin, "DELETE", `/api/system/processes?ids=${many}`);
  expect(tooMany.status).toBe(400);
  expect(tooMany.body.detail).toBe("at most 1000 process ids at once (got 1001)");
  const huge = await t.json<Json>(
    t.users.admin,
    "DELETE",
    "/api/system/processes?ids=1,99999999999999999999",
  );
  expect(huge.status).toBe(400);
  expect(huge.body.detail).toBe("'99999999999999999999' is not a process id");
  const zero = await t.json<Json>(t.users.admin, "DELETE", "/api/system/processes?ids=0");
  expect(zero.status).toBe(400);
  expect(zero.body.errors[0].parameter).toBe("querystring.ids");
});
