/**
 * Review 2: HAL resources are served as application/hal+json (plain JSON when the client asks only for it),
 * and `sort` works on every paged list (scripts and files too), refusing unknown fields with 400.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

it.each([
  "/api/system/scripts",
  "/api/system/scripts/upload",
  "/api/system/processes/search/own",
  "/api/auth/me",
])("GET %s is application/hal+json", async (path) => {
  const res = await t.call(t.users.admin, "GET", path);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/hal+json; charset=utf-8");
  expect(((await res.json()) as Json)._links.self.href).toContain(path);
});

it("Accept: application/json alone gets application/json; problems and health stay as they were", async () => {
  const plain = await t.call(t.users.admin, "GET", "/api/system/scripts", {
    headers: { accept: "application/json" },
  });
  expect(plain.headers.get("content-type")).toBe("application/json; charset=utf-8");
  const both = await t.call(t.users.admin, "GET", "/api/system/scripts", {
    headers: { accept: "application/hal+json, application/json;q=0.9" },
  });
  expect(both.headers.get("content-type")).toContain("application/hal+json");
  const problem = await t.call(t.users.admin, "GET", "/api/system/processes/999999");
  expect(problem.headers.get("content-type")).toContain("application/problem+json");
  const health = await t.call(undefined, "GET", "/healthz");
  expect(health.headers.get("content-type")).toBe("application/json; charset=utf-8");
  const doc = (await t.json<Json>(undefined, "GET", "/api/openapi.json")).body;
  expect(Object.keys(doc.paths["/api/system/scripts"].get.responses["200"].content)).toEqual([
    "application/hal+json",
  ]);
  expect(Object.keys(doc.paths["/healthz"].get.responses["200"].content)).toEqual(["application/json"]);
});

it("the scripts list sorts by name both ways and refuses other fields", async () => {
  const names = async (sort: string) =>
    (
      await t.json<Json>(t.users.admin, "GET", `/api/system/scripts?size=1000&sort=${sort}`)
    ).body._embedded.scripts.map((s: Json) => s.name);
  const asc = await names("name,asc");
  expect(asc.length).toBeGreaterThan(2);
  expect(asc).toEqual([...asc].sort());
  expect(await names("name,desc")).toEqual([...asc].reverse());
  const bad = await t.json<Json>(t.users.admin, "GET", "/api/system/scripts?sort=colour");
  expect(bad.status).toBe(400);
  expect(bad.body.detail).toContain("cannot sort by 'colour': use one of name");
  const doc = (await t.json<Json>(undefined, "GET", "/api/openapi.json")).body;
  const params = doc.paths["/api/system/scripts"].get.parameters.map((p: Json) => p.name);
  expect(params).toEqual(["page", "size", "sort"]);
});

it("the files of a process sort by name, fileType, sizeBytes or creationTime", async () => {
  const f = new FormData();
  f.append(
    "properties",
    JSON.stringify([
      { name: "-i", value: "b.txt" },
      { name: "-x", value: "a.txt" },
    ]),
  );
  f.append("file", new Blob(["bbbb"]), "b.txt");
  f.append("file", new Blob(["a"]), "a.txt");
  const res = await t.call(t.users.op, "POST", "/api/system/scripts/upload/processes", { body: f });
  expect(res.status).toBe(202);
  const id = ((await res.json()) as Json).processId as number;
  await t.waitForStatus(id, "COMPLETED");
  const list = async (path: string) =>
    (await t.json<Json>(t.users.op, "GET", `/api/system/processes/${id}/${path}`)).body._embedded.files.map(
      (x: Json) => x.name,
    );
  const byName = await list("files?sort=name");
  expect(byName).toEqual([...byName].sort());
  expect(await list("files?sort=name,desc")).toEqual([...byName].reverse());
  const uploads = (names: string[]) => names.filter((n) => n === "a.txt" || n === "b.txt");
  expect(uploads(await list("files?sort=sizeBytes,asc"))).toEqual(["a.txt", "b.txt"]);
  expect(uploads(await list("files?sort=sizeBytes,desc"))).toEqual(["b.txt", "a.txt"]);
  const bad = await t.json<Json>(t.users.op, "GET", `/api/system/processes/${id}/files?sort=owner`);
  expect(bad.status).toBe(400);
  expect(bad.body.errors).toEqual([{ parameter: "querystring.sort", message: "unknown sort 'owner'" }]);
});
