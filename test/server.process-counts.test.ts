/**
 * search/counts: how many processes of each status match the filters, in one request (the web UI's status
 * counts asked the list once per status). The numbers equal the list's totals; an operator counts only
 * their own; another user's counts are an admin's to see.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer, type TestUser } from "./fixtures/server/harness.js";

const STATUSES = ["SCHEDULED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"] as const;
const COUNTS = "/api/system/processes/search/counts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { dispatcher: false });
  // op: 3 processes, one of them cancelled; op2: 2; all SCHEDULED otherwise (no dispatcher runs them).
  const ids: number[] = [];
  for (const user of [t.users.op, t.users.op, t.users.op, t.users.op2, t.users.op2])
    ids.push(await start(user));
  const cancelled = await t.call(t.users.op, "POST", `/api/system/processes/${ids[0]}/cancel`);
  expect(cancelled.status).toBeLessThan(300);
  await t.waitForStatus(ids[0], "CANCELLED");
});
afterAll(() => t.close());

async function start(user: TestUser): Promise<number> {
  const res = await t.json<Json>(user, "POST", "/api/system/scripts/index-discovery/processes", {
    properties: [],
  });
  expect(res.status).toBe(202);
  return res.body.processId;
}

async function counts(user: TestUser, query = "") {
  const res = await t.json<{ counts: Record<string, number> }>(user, "GET", `${COUNTS}${query}`);
  return { status: res.status, counts: res.body.counts };
}

/** What the list answers as its total for each status: what the counts must equal. */
async function listTotals(user: TestUser, path: string, extra = "") {
  const out: Record<string, number> = {};
  for (const s of STATUSES) {
    const res = await t.json<Json>(user, "GET", `${path}?processStatus=${s}&size=1${extra}`);
    out[s] = res.body.page.totalElements;
  }
  return out;
}

it("an admin's counts cover every user and equal the list's totals, status by status", async () => {
  const got = await counts(t.users.admin);
  expect(got.status).toBe(200);
  expect(got.counts).toEqual({ SCHEDULED: 4, RUNNING: 0, COMPLETED: 0, FAILED: 0, CANCELLED: 1 });
  expect(got.counts).toEqual(await listTotals(t.users.admin, "/api/system/processes"));
});

it("an operator counts only their own; an admin may narrow to one user and one script", async () => {
  const own = await counts(t.users.op);
  expect(own.counts).toEqual({ SCHEDULED: 2, RUNNING: 0, COMPLETED: 0, FAILED: 0, CANCELLED: 1 });
  expect(own.counts).toEqual(await listTotals(t.users.op, "/api/system/processes/search/own"));
  const theirs = await counts(t.users.admin, `?userId=${t.users.op2.id}&scriptName=index-discovery`);
  expect(theirs.counts).toEqual({ SCHEDULED: 2, RUNNING: 0, COMPLETED: 0, FAILED: 0, CANCELLED: 0 });
  expect((await counts(t.users.admin, "?scriptName=no-such-script")).counts.SCHEDULED).toBe(0);
});

it("another user's counts are refused to a non-admin (403); a bad date is a 400", async () => {
  expect((await counts(t.users.op, `?userId=${t.users.op2.id}`)).status).toBe(403);
  expect((await counts(t.users.op, `?userId=${t.users.op.id}`)).status).toBe(200);
  expect((await counts(t.users.admin, "?createdAfter=yesterday")).status).toBe(400);
});
