/**
 * A table of malformed and invalid requests: each is answered 4xx with a clear problem+json body, none
 * creates a process, none is a 5xx.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

const LIMIT = 2048;
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ uploadLimitBytes: LIMIT });
});
afterAll(() => t.close());

const BOUNDARY = "----nightshift-test-boundary";

type Part = { name: string; value: string; filename?: string };

/** A multipart body built by hand, so file names reach the server exactly as written. */
function multipart(parts: Part[]): RequestInit {
  const chunks = parts.map((p) => {
    const disposition = `form-data; name="${p.name}"${p.filename === undefined ? "" : `; filename="${p.filename}"`}`;
    const type = p.filename === undefined ? "" : "Content-Type: application/octet-stream\r\n";
    return `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n${p.value}\r\n`;
  });
  return {
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body: `${chunks.join("")}--${BOUNDARY}--\r\n`,
  };
}

const json = (body: unknown): RequestInit => ({
  headers: { "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

const props = (list: unknown) => ({ name: "properties", value: JSON.stringify(list) });
const file = (filename: string, value = "data") => ({ name: "file", filename, value });

interface Case {
  readonly what: string;
  readonly method?: string;
  readonly path?: string;
  readonly init: RequestInit;
  readonly status: number;
  readonly detail: string | RegExp;
  /** A parameter the problem's `errors` must name. */
  readonly parameter?: string;
}

const START = "/api/system/scripts/upload/processes";
const TYPED = "/api/system/scripts/typed/processes";

const cases: Case[] = [
  { what: "bad JSON", path: TYPED, init: json("{not json"), status: 400, detail: /JSON/ },
  {
    what: "wrong content type",
    path: TYPED,
    init: { headers: { "content-type": "text/plain" }, body: "-n 1" },
    status: 400,
    detail: /content type|Content-Type/i,
  },
  {
    what: "no body at all",
    path: TYPED,
    init: {},
    status: 400,
    detail: "missing body",
    parameter: "properties",
  },
  {
    what: "JSON without properties",
    path: TYPED,
    init: json({ runAt: "2030-01-01T00:00:00Z" }),
    status: 400,
    detail: "properties",
    parameter: "body",
  },
  {
    what: "JSON with an unknown field",
    path: TYPED,
    init: json({ properties: [], colour: "red" }),
    status: 400,
    detail: "additional properties",
  },
  {
    what: "properties not an array",
    path: TYPED,
    init: json({ properties: { name: "-n" } }),
    status: 400,
    detail: "array",
  },
  {
    what: "properties string not JSON",
    path: TYPED,
    init: json({ properties: "[{" }),
    status: 400,
    detail: "not valid JSON",
  },
  {
    what: "multipart without properties",
    path: TYPED,
    init: multipart([{ name: "runAt", value: "2030-01-01T00:00:00Z" }]),
    status: 400,
    detail: "missing part 'properties'",
    parameter: "properties",
  },
  {
    what: "multipart properties not JSON",
    path: TYPED,
    init: multipart([{ name: "properties", value: '[{"name":' }]),
    status: 400,
    detail: "part 'properties' is not valid JSON",
  },
  {
    what: "two properties parts",
    path: TYPED,
    init: multipart([props([]), props([])]),
    status: 400,
    detail: "more than one 'properties' part",
  },
  {
    what: "an unexpected part",
    path: TYPED,
    init: multipart([props([{ name: "-n", value: "1" }]), { name: "colour", value: "red" }]),
    status: 400,
    detail: "unexpected part 'colour'",
  },
  {
    what: "a file in another part",
    path: START,
    init: multipart([
      props([{ name: "-i", value: "a.txt" }]),
      { name: "upload", filename: "a.txt", value: "x" },
    ]),
    status: 400,
    detail: "unexpected file part 'upload'",
  },
  {
    what: "truncated multipart",
    path: TYPED,
    init: {
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      body: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="properties"\r\n\r\n[]`,
    },
    status: 400,
    detail: /./,
  },
  {
    what: "unknown script",
    path: "/api/system/scripts/no-such-script/processes",
    init: json({ properties: [] }),
    status: 404,
    detail: "no script named 'no-such-script'",
  },
  {
    what: "unknown parameter",
    path: TYPED,
    init: json({
      properties: [
        { name: "-n", value: "1" },
        { name: "-z", value: "1" },
      ],
    }),
    status: 422,
    detail: "unknown parameter '-z'",
    parameter: "-z",
  },
  {
    what: "ill-typed integer",
    path: TYPED,
    init: json({ properties: [{ name: "-n", value: "many" }] }),
    status: 422,
    detail: "must be an integer",
    parameter: "--count",
  },
  {
    what: "bad date",
    path: TYPED,
    init: json({
      properties: [
        { name: "-n", value: "1" },
        { name: "--since", value: "yesterday" },
      ],
    }),
    status: 422,
    detail: "must be a date",
    parameter: "--since",
  },
  {
    what: "enum outside its values",
    path: TYPED,
    init: json({
      properties: [
        { name: "-n", value: "1" },
        { name: "-m", value: "medium" },
      ],
    }),
    status: 422,
    detail: "one of fast, slow",
    parameter: "--mode",
  },
  {
    what: "missing required",
    path: TYPED,
    init: json({ properties: [] }),
    status: 422,
    detail: "missing required parameter '--count'",
    parameter: "--count",
  },
  {
    what: "duplicate parameter",
    path: TYPED,
    init: json({
      properties: [
        { name: "-n", value: "1" },
        { name: "--count", value: "2" },
      ],
    }),
    status: 422,
    detail: "more than once",
    parameter: "--count",
  },
  {
    what: "property without a name",
    path: TYPED,
    init: json({ properties: [{ value: "1" }] }),
    status: 422,
    detail: "has no string 'name'",
    parameter: "properties[0]",
  },
  {
    what: "bad runAt",
    path: TYPED,
    init: json({ properties: [{ name: "-n", value: "1" }], runAt: "tomorrow" }),
    status: 422,
    detail: "runAt must be an ISO 8601 date-time",
    parameter: "runAt",
  },
  {
    what: "path traversal in a file name",
    path: START,
    init: multipart([props([{ name: "-i", value: "passwd" }]), file("../../etc/passwd")]),
    status: 400,
    detail: "unsafe file name '../../etc/passwd'",
    parameter: "file",
  },
  {
    what: "backslash path in a file name",
    path: START,
    init: multipart([props([{ name: "-i", value: "x.txt" }]), file("..\\\\x.txt")]),
    status: 400,
    detail: "unsafe file name",
  },
  {
    what: "absolute path in a file name",
    path: START,
    init: multipart([props([{ name: "-i", value: "x.txt" }]), file("/tmp/x.txt")]),
    status: 400,
    detail: "unsafe file name",
  },
  {
    what: "empty file name",
    path: START,
    init: multipart([props([{ name: "-i", value: "x.txt" }]), file("")]),
    status: 400,
    detail: "no file name",
  },
  {
    what: "duplicate file names",
    path: START,
    init: multipart([props([{ name: "-i", value: "a.txt" }]), file("a.txt"), file("a.txt")]),
    status: 400,
    detail: "uploaded twice",
    parameter: "file",
  },
  {
    what: "upload above the limit",
    path: START,
    init: multipart([props([{ name: "-i", value: "big.txt" }]), file("big.txt", "x".repeat(LIMIT + 1))]),
    status: 413,
    detail: `limited to ${LIMIT} bytes`,
  },
  {
    what: "uploads above the limit together",
    path: START,
    init: multipart([
      props([
        { name: "-i", value: "a.txt" },
        { name: "-x", value: "b.txt" },
      ]),
      file("a.txt", "x".repeat(1500)),
      file("b.txt", "y".repeat(1500)),
    ]),
    status: 413,
    detail: "limited to",
  },
  {
    what: "file parameter naming no upload",
    path: START,
    init: multipart([props([{ name: "-i", value: "missing.txt" }])]),
    status: 422,
    detail: "names file 'missing.txt', which was not uploaded",
    parameter: "--input",
  },
  {
    what: "an upload no parameter names",
    path: START,
    init: multipart([props([{ name: "-i", value: "a.txt" }]), file("a.txt"), file("stray.txt")]),
    status: 422,
    detail: "'stray.txt' is not named",
    parameter: "file",
  },
  {
    what: "JSON body above 1 MiB",
    path: TYPED,
    init: json({ properties: [{ name: "-n", value: "1".repeat(1_100_000) }] }),
    status: 413,
    detail: /./,
  },
  {
    what: "process id not a number (404, as DSpace)",
    method: "GET",
    path: "/api/system/processes/abc",
    init: {},
    status: 404,
    detail: "ids are whole numbers",
  },
  {
    what: "process id beyond any id",
    method: "GET",
    path: "/api/system/processes/99999999999999999999",
    init: {},
    status: 400,
    detail: "must be <=",
    parameter: "params.id",
  },
  {
    what: "unknown sort field",
    method: "GET",
    path: "/api/system/processes?sort=colour,desc",
    init: {},
    status: 400,
    detail: "cannot sort by 'colour,desc'",
  },
  {
    what: "bad sort direction",
    method: "GET",
    path: "/api/system/processes?sort=creationTime,sideways",
    init: {},
    status: 400,
    detail: "cannot sort",
  },
  {
    what: "negative page",
    method: "GET",
    path: "/api/system/processes?page=-1",
    init: {},
    status: 400,
    detail: "page must be >= 0",
    parameter: "querystring.page",
  },
  {
    what: "page size too big",
    method: "GET",
    path: "/api/system/processes?size=100000",
    init: {},
    status: 400,
    detail: "size must be <= 1000",
  },
  {
    what: "unknown status filter",
    method: "GET",
    path: "/api/system/processes?processStatus=DONE",
    init: {},
    status: 400,
    detail: "processStatus",
  },
  {
    what: "bulk delete ids not numbers",
    method: "DELETE",
    path: "/api/system/processes?ids=1,two",
    init: {},
    status: 400,
    detail: "ids",
  },
  {
    what: "unknown route",
    method: "GET",
    path: "/api/system/nothing",
    init: {},
    status: 404,
    detail: "no route GET /api/system/nothing",
  },
  {
    what: "login with a malformed body",
    path: "/api/auth/login",
    init: json({ user: "x" }),
    status: 400,
    detail: "must have required property 'name'",
  },
];

describe("malformed and invalid requests", () => {
  it.each(cases)("$what -> $status", async (c) => {
    const before = await t.processCount();
    const res = await t.call(t.users.admin, c.method ?? "POST", c.path ?? START, c.init);
    const text = await res.text();
    expect(res.status, text).toBe(c.status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = JSON.parse(text) as Json;
    expect(body).toMatchObject({
      status: c.status,
      title: expect.any(String),
      type: expect.stringMatching(/^urn:nightshift:problem:/),
    });
    if (typeof c.detail === "string") expect(body.detail).toContain(c.detail);
    else expect(body.detail).toMatch(c.detail);
    if (c.parameter) expect(body.errors.map((e: Json) => e.parameter)).toContain(c.parameter);
    expect(await t.processCount()).toBe(before);
  });

  it("leaves no uploaded bytes behind after refusals", async () => {
    const left = await readdir(join(t.dataDir, "uploads")).catch(() => []);
    expect(left).toEqual([]);
  });
});
