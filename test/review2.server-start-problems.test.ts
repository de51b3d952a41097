/**
 * Review 2: a refused start names every bad parameter at once (runAt, parameters and uploads together),
 * and the multipart limits say which limit was hit; nothing is created.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { dispatcher: false });
});
afterAll(() => t.close());

async function post(path: string, body: FormData | string, type?: string) {
  const before = await t.processCount();
  const res = await t.call(t.users.admin, "POST", path, {
    body,
    ...(type ? { headers: { "content-type": type } } : {}),
  });
  const text = await res.text();
  expect(await t.processCount()).toBe(before);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return { status: res.status, body: JSON.parse(text) as Json };
}

const form = (properties: unknown, extra: [string, string | Blob, string?][] = []) => {
  const f = new FormData();
  f.append("properties", typeof properties === "string" ? properties : JSON.stringify(properties));
  for (const [name, value, filename] of extra)
    if (filename !== undefined) f.append(name, value, filename);
    else f.append(name, value);
  return f;
};

it("names the bad runAt, the bad parameter and the missing upload in one 422", async () => {
  const r = await post(
    "/api/system/scripts/upload/processes",
    form(
      [
        { name: "-i", value: "missing.txt" },
        { name: "-z", value: "1" },
      ],
      [["runAt", "tomorrow"]],
    ),
  );
  expect(r.status).toBe(422);
  expect(r.body.errors.map((e: Json) => e.parameter).sort()).toEqual(["--input", "-z", "runAt"]);
  expect(r.body.detail).toContain("runAt must be an ISO 8601 date-time");
  expect(r.body.detail).toContain("unknown parameter '-z'");
  expect(r.body.detail).toContain("names file 'missing.txt', which was not uploaded");
});

it("names an ill-typed parameter and a stray upload together", async () => {
  const r = await post(
    "/api/system/scripts/upload/processes",
    form(
      [
        { name: "-i", value: "a.txt" },
        { name: "-q", value: "x" },
      ],
      [
        ["file", new Blob(["a"]), "a.txt"],
        ["file", new Blob(["b"]), "stray.txt"],
      ],
    ),
  );
  expect(r.status).toBe(422);
  expect(r.body.errors.map((e: Json) => e.parameter)).toEqual(["-q", "file"]);
  expect(r.body.detail).toContain("'stray.txt' is not named");
});

it("a file parameter given twice is reported once, not also as a missing upload", async () => {
  const r = await post(
    "/api/system/scripts/upload/processes",
    form(
      [
        { name: "-i", value: "a.txt" },
        { name: "--input", value: "b.txt" },
      ],
      [["file", new Blob(["a"]), "a.txt"]],
    ),
  );
  expect(r.status).toBe(422);
  expect(r.body.errors).toEqual([
    { parameter: "--input", message: expect.stringContaining("more than once") },
  ]);
});

it("a second runAt part is refused (400), not silently dropped", async () => {
  const r = await post(
    "/api/system/scripts/index-discovery/processes",
    form(
      [],
      [
        ["runAt", "2100-01-01T00:00:00Z"],
        ["runAt", "2101-01-01T00:00:00Z"],
      ],
    ),
  );
  expect(r.status).toBe(400);
  expect(r.body.detail).toBe("more than one 'runAt' part");
});

it("more than 100 file parts: 413 naming the number of parts, not the byte limit", async () => {
  const files: [string, Blob, string][] = Array.from({ length: 101 }, (_, i) => [
    "file",
    new Blob(["x"]),
    `f${i}.txt`,
  ]);
  const r = await post("/api/system/scripts/upload/processes", form([], files));
  expect(r.status).toBe(413);
  expect(r.body.detail).toContain("too many parts: at most 100 'file' parts");
  expect(r.body.detail).not.toContain("bytes");
});

it("a properties part above 1 MiB: 413 naming the part, not a JSON syntax error", async () => {
  const big = JSON.stringify([{ name: "-i", value: "x".repeat(1_100_000) }]);
  const r = await post("/api/system/scripts/index-discovery/processes", form(big));
  expect(r.status).toBe(413);
  expect(r.body.detail).toContain("part 'properties' is larger than 1048576 bytes");
});

it("an unexpected JSON field is named", async () => {
  const r = await post(
    "/api/system/scripts/index-discovery/processes",
    JSON.stringify({ properties: [], colour: "red" }),
    "application/json",
  );
  expect(r.status).toBe(400);
  expect(r.body.detail).toContain("must NOT have additional properties ('colour')");
});

it("an unexpected query field is named", async () => {
  const res = await t.json<Json>(t.users.admin, "POST", "/api/system/processes/1/rerun?colour=red");
  expect(res.status).toBe(400);
  expect(res.body.errors[0].message).toContain("('colour')");
});
