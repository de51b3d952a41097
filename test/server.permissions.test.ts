/**
 * The permission matrix: each role x each endpoint x own/other's process, table-driven.
 * Others' processes answer 403 (every refusal is 401 or 403); a viewer changing its own answers 403 too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseProperties } from "../src/engine/parameters.js";
import { startTestServer, type TestServer, type TestUser } from "./fixtures/server/harness.js";

type Role = "admin" | "operator" | "viewer";
type Whose = "own" | "other";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

/** A fresh SCHEDULED process (delayed, so it stays put) of `user`, with an uploaded input file. */
async function processOf(user: TestUser): Promise<{ id: number; fileId: number }> {
  const script = t.engine.scripts.require("upload");
  const p = await t.engine.service.createProcess({
    script: "upload",
    parameters: parseProperties(script, [{ name: "-i", value: "in.txt" }]),
    startedBy: { source: "rest", userId: user.id },
    runAt: new Date(Date.now() + 3600_000),
    uploads: [{ name: "in.txt", buffer: Buffer.from("private bytes") }],
  });
  const [file] = await t.engine.service.listFiles(p.id, "inputfile");
  return { id: p.id, fileId: file.id };
}

const userOf = (role: Role): TestUser =>
  role === "admin" ? t.users.admin : role === "operator" ? t.users.op : t.users.viewer;

/** [own, other] expected status per role. */
type Expect = Record<Role, readonly [number, number]>;

interface ProcessRow {
  readonly endpoint: string;
  readonly method: string;
  readonly path: (id: number, fileId: number) => string;
  readonly expect: Expect;
  /** The Accept header to send (the log as text: a queued process has no output file record yet). */
  readonly accept?: string;
}

const READ: Expect = { admin: [200, 200], operator: [200, 403], viewer: [200, 403] };

const processRows: ProcessRow[] = [
  { endpoint: "GET process", method: "GET", path: (id) => `/api/system/processes/${id}`, expect: READ },
  {
    endpoint: "GET output",
    method: "GET",
    path: (id) => `/api/system/processes/${id}/output`,
    expect: READ,
    accept: "text/plain",
  },
  { endpoint: "GET files", method: "GET", path: (id) => `/api/system/processes/${id}/files`, expect: READ },
  {
    endpoint: "GET filetypes",
    method: "GET",
    path: (id) => `/api/system/processes/${id}/filetypes`,
    expect: READ,
  },
  {
    endpoint: "GET files/{type}",
    method: "GET",
    path: (id) => `/api/system/processes/${id}/files/inputfile`,
    expect: READ,
  },
  {
    endpoint: "GET file content",
    method: "GET",
    path: (id, f) => `/api/system/processes/${id}/files/inputfile/${f}/content`,
    expect: READ,
  },
  {
    endpoint: "POST cancel",
    method: "POST",
    path: (id) => `/api/system/processes/${id}/cancel`,
    expect: { admin: [200, 200], operator: [200, 403], viewer: [403, 403] },
  },
  {
    endpoint: "POST rerun",
    method: "POST",
    path: (id) => `/api/system/processes/${id}/rerun`,
    expect: { admin: [202, 202], operator: [202, 403], viewer: [403, 403] },
  },
  {
    endpoint: "DELETE process",
    method: "DELETE",
    path: (id) => `/api/system/processes/${id}`,
    expect: { admin: [204, 204], operator: [204, 403], viewer: [403, 403] },
  },
];

interface PlainRow {
  readonly endpoint: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly expect: Record<Role, number>;
}

const plainRows: PlainRow[] = [
  {
    endpoint: "GET scripts",
    method: "GET",
    path: "/api/system/scripts",
    expect: { admin: 200, operator: 200, viewer: 200 },
  },
  {
    endpoint: "GET operator script",
    method: "GET",
    path: "/api/system/scripts/upload",
    expect: { admin: 200, operator: 200, viewer: 403 },
  },
  {
    endpoint: "GET admin-only script",
    method: "GET",
    path: "/api/system/scripts/admin-only",
    expect: { admin: 200, operator: 403, viewer: 403 },
  },
  {
    endpoint: "POST operator script",
    method: "POST",
    path: "/api/system/scripts/index-discovery/processes",
    body: { properties: [], runAt: "2100-01-01T00:00:00Z" },
    expect: { admin: 202, operator: 202, viewer: 403 },
  },
  {
    endpoint: "POST admin-only script",
    method: "POST",
    path: "/api/system/scripts/admin-only/processes",
    body: { properties: [], runAt: "2100-01-01T00:00:00Z" },
    expect: { admin: 202, operator: 403, viewer: 403 },
  },
  {
    endpoint: "GET processes",
    method: "GET",
    path: "/api/system/processes",
    expect: { admin: 200, operator: 403, viewer: 403 },
  },
  {
    endpoint: "GET byProperty",
    method: "GET",
    path: "/api/system/processes/search/byProperty?scriptName=upload",
    expect: { admin: 200, operator: 403, viewer: 403 },
  },
  {
    endpoint: "GET own",
    method: "GET",
    path: "/api/system/processes/search/own",
    expect: { admin: 200, operator: 200, viewer: 200 },
  },
  {
    endpoint: "DELETE bulk",
    method: "DELETE",
    path: "/api/system/processes?ids=999999",
    expect: { admin: 200, operator: 200, viewer: 403 },
  },
  {
    endpoint: "GET metrics",
    method: "GET",
    path: "/metrics",
    expect: { admin: 200, operator: 403, viewer: 403 },
  },
  {
    endpoint: "GET me",
    method: "GET",
    path: "/api/auth/me",
    expect: { admin: 200, operator: 200, viewer: 200 },
  },
];

const ROLES: Role[] = ["admin", "operator", "viewer"];

const processCases = processRows.flatMap((row) =>
  ROLES.flatMap((role) =>
    (["own", "other"] as Whose[]).map((whose) => ({
      ...row,
      role,
      whose,
      status: row.expect[role][whose === "own" ? 0 : 1],
    })),
  ),
);

describe("permission matrix: processes", () => {
  it.each(processCases)("$role $endpoint of $whose process -> $status", async (c) => {
    const caller = userOf(c.role);
    const { id, fileId } = await processOf(c.whose === "own" ? caller : t.users.op2);
    const res = await t.call(caller, c.method, c.path(id, fileId), {
      headers: c.accept ? { accept: c.accept } : {},
    });
    const text = await res.text();
    expect(res.status, text).toBe(c.status);
    if (c.status >= 400) {
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(JSON.parse(text).detail).toMatch(
        c.whose === "other" ? `process ${id} was started by another user` : /role 'viewer' may not/,
      );
    }
    if (c.endpoint === "GET file content" && c.status === 200) expect(text).toBe("private bytes");
    if (c.endpoint === "DELETE process")
      expect(await t.engine.service.getProcess(id)).toSatisfy((p) => (c.status === 204 ? !p : !!p));
  });

  it.each(processRows)("anonymous $endpoint -> 401", async (row) => {
    const { id, fileId } = await processOf(t.users.op);
    const res = await t.call(undefined, row.method, row.path(id, fileId));
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toContain("authentication required");
  });
});

const plainCases = plainRows.flatMap((row) =>
  ROLES.map((role) => ({ ...row, role, status: row.expect[role] })),
);

describe("permission matrix: scripts, lists, system", () => {
  it.each(plainCases)("$role $endpoint -> $status", async (c) => {
    const init: RequestInit =
      c.body === undefined
        ? {}
        : { body: JSON.stringify(c.body), headers: { "content-type": "application/json" } };
    const res = await t.call(userOf(c.role), c.method, c.path, init);
    const text = await res.text();
    expect(res.status, text).toBe(c.status);
    if (c.status === 403)
      expect(JSON.parse(text)).toMatchObject({ status: 403, title: "Forbidden", detail: expect.any(String) });
  });

  it.each(plainRows)("anonymous $endpoint -> 401", async (row) => {
    const res = await t.call(undefined, row.method, row.path);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("own lists and byProperty never show another user's processes to a non-admin", async () => {
    await processOf(t.users.op2);
    const own = await t.json<{ _embedded: { processes: { userId: string }[] } }>(
      t.users.op,
      "GET",
      "/api/system/processes/search/own?size=1000",
    );
    expect(own.body._embedded.processes.every((p) => p.userId === t.users.op.id)).toBe(true);
  });
});

describe("bulk delete with real processes of another user", () => {
  it("an operator's bulk delete refuses another user's existing process (403 in refused) and keeps it", async () => {
    const mine = await processOf(t.users.op);
    const theirs = await processOf(t.users.op2);
    const res = await t.json<{
      deleted: number[];
      refused: { processId: number; status: number; detail: string }[];
    }>(t.users.op, "DELETE", `/api/system/processes?ids=${mine.id},${theirs.id}`);
    expect(res.status).toBe(200);
    expect(res.body.deleted).toEqual([mine.id]);
    expect(res.body.refused).toEqual([
      {
        processId: theirs.id,
        status: 403,
        detail: expect.stringContaining(`process ${theirs.id} was started by another user`),
      },
    ]);
    expect(await t.engine.service.getProcess(theirs.id)).toBeDefined();
    expect(await t.engine.service.getProcess(mine.id)).toBeUndefined();
  });

  it("an admin's bulk delete deletes another user's process", async () => {
    const theirs = await processOf(t.users.op2);
    const res = await t.json<{ deleted: number[] }>(
      t.users.admin,
      "DELETE",
      `/api/system/processes?ids=${theirs.id}`,
    );
    expect(res.body.deleted).toEqual([theirs.id]);
    expect(await t.engine.service.getProcess(theirs.id)).toBeUndefined();
  });
});
