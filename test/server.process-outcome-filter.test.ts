/**
 * The `outcome` filter of the process lists: a COMPLETED batch whose items partly failed (`errors`) is found
 * without reading every COMPLETED process (the web UI's dashboard lists the week's); it combines with the
 * other filters, search/own keeps to the caller's, and a value that is not an outcome is a 400 naming it.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { ProcessOutcome } from "../src/store/schema.js";
import { type Json, startTestServer, type TestServer, type TestUser } from "./fixtures/server/harness.js";

let t: TestServer;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestServer({}, { dispatcher: false });
  const plan: [string, TestUser, ProcessOutcome | null][] = [
    ["adminErrors", t.users.admin, "errors"],
    ["opErrors", t.users.op, "errors"],
    ["opWarnings", t.users.op, "warnings"],
    ["opOk", t.users.op, "ok"],
    ["opNone", t.users.op, null],
  ];
  for (const [name, user, outcome] of plan) {
    const res = await t.json<Json>(user, "POST", "/api/system/scripts/index-discovery/processes", {
      properties: [],
    });
    expect(res.status).toBe(202);
    ids[name] = res.body.processId;
    // How the process ended is set as the finaliser records it: what is tested here is the filter.
    await t.engine.store.write((db) =>
      db
        .updateTable("processes")
        .set({ status: "COMPLETED", outcome, finished_at: new Date().toISOString() })
        .where("id", "=", ids[name])
        .execute(),
    );
  }
});
afterAll(() => t.close());

async function listed(user: TestUser, path: string) {
  const res = await t.json<Json>(user, "GET", path);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return {
    ids: ((res.body._embedded?.processes ?? []) as { processId: number }[]).map((p) => p.processId),
    total: res.body.page.totalElements as number,
  };
}

it("an admin lists the COMPLETED processes with failed items, across users; several outcomes combine", async () => {
  expect(await listed(t.users.admin, "/api/system/processes?processStatus=COMPLETED&outcome=errors")).toEqual(
    {
      ids: [ids.opErrors, ids.adminErrors],
      total: 2,
    },
  );
  const some = await listed(t.users.admin, "/api/system/processes?outcome=errors,warnings&size=2");
  expect(some).toEqual({ ids: [ids.opWarnings, ids.opErrors], total: 3 });
  const ok = await listed(t.users.admin, `/api/system/processes?outcome=ok&userId=${t.users.op.id}`);
  expect(ok.ids).toEqual([ids.opOk]);
});

it("search/own keeps to the caller's processes", async () => {
  expect((await listed(t.users.op, "/api/system/processes/search/own?outcome=errors")).ids).toEqual([
    ids.opErrors,
  ]);
  expect((await listed(t.users.op2, "/api/system/processes/search/own?outcome=errors")).ids).toEqual([]);
});

it("a value that is not an outcome is refused, naming the parameter", async () => {
  const res = await t.json<Json>(t.users.admin, "GET", "/api/system/processes?outcome=failed");
  expect(res.status).toBe(400);
  expect(JSON.stringify(res.body)).toContain("outcome");
});
