/**
 * POST /api/triggers/{name} over loopback: HMAC signatures (good, bad, expired, future-dated, replayed),
 * bearer tokens, idempotency under 20 concurrent identical events, 404/422/429, and no process on refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signEvent } from "../src/trigger/signature.js";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

const SECRET = "trigger-test-secret-0123456789";
let t: TestServer;
beforeAll(async () => {
  process.env.NIGHTSHIFT_TEST_TRIGGER_SECRET = SECRET;
  const secret = "env:NIGHTSHIFT_TEST_TRIGGER_SECRET";
  t = await startTestServer({
    raw: {
      triggers: {
        signed: {
          script: "typed",
          payload: { "--count": "/item/count" },
          secret,
          idempotencyKey: "/event/id",
        },
        limited: { script: "typed", args: ["--count", "1"], secret, rateLimit: "3/min" },
        tokened: { script: "typed", args: ["--mode", "slow"], payload: { "--count": "/n" }, auth: "token" },
      },
    },
  });
});
afterAll(() => t.close());

const now = () => Math.floor(Date.now() / 1000);

function post(
  name: string,
  body: string,
  headers: Record<string, string> = {},
  user?: TestServer["users"]["op"],
) {
  return t.call(user, "POST", `/api/triggers/${name}`, {
    body,
    headers: { "content-type": "application/json", ...headers },
  });
}

function signed(name: string, body: string, at = now(), secret = SECRET, extra: Record<string, string> = {}) {
  return post(name, body, { "x-nightshift-signature": signEvent(secret, body, at), ...extra });
}

async function refusedWithoutProcess(res: Promise<Response>, status: number): Promise<Json> {
  const before = await t.processCount();
  const r = await res;
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toContain("application/problem+json");
  expect(await t.processCount()).toBe(before);
  return (await r.json()) as Json;
}

describe("HMAC signature", () => {
  it("a good signature starts one process with the mapped parameters (202 + its location)", async () => {
    const res = await signed("signed", JSON.stringify({ event: { id: "e-1" }, item: { count: 7 } }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as Json;
    expect(res.headers.get("location")).toBe(`${t.url}/api/system/processes/${body.processId}`);
    const p = await t.engine.service.getProcess(body.processId);
    expect(p).toMatchObject({ startedBy: "trigger", trigger: "signed", script: "typed" });
    expect(p?.parameters).toEqual([{ name: "--count", value: "7" }]);
    const view = await t.json<Json>(t.users.admin, "GET", `/api/system/processes/${body.processId}`);
    expect(view.body).toMatchObject({ startedBy: "trigger", trigger: "signed" });
  });

  it("a bad signature, an expired one, a future-dated one or none is 401, and no process exists", async () => {
    const body = JSON.stringify({ event: { id: "e-bad" }, item: { count: 1 } });
    await refusedWithoutProcess(signed("signed", body, now(), "another-secret"), 401);
    await refusedWithoutProcess(signed("signed", body, now() - 301), 401);
    await refusedWithoutProcess(signed("signed", body, now() + 301), 401);
    await refusedWithoutProcess(post("signed", body), 401);
    // signed over other bytes than those sent
    const header = signEvent(SECRET, body, now());
    await refusedWithoutProcess(
      post("signed", body.replace("1", "2"), { "x-nightshift-signature": header }),
      401,
    );
    const problem = await refusedWithoutProcess(signed("signed", body, now() - 400), 401);
    expect(problem.detail).toContain("5 minutes");
    expect(JSON.stringify(problem)).not.toContain(SECRET);
  });

  it("the same signed request again (a retry, a replay) answers the process the first one started", async () => {
    const body = JSON.stringify({ item: { count: 3 } }); // no event id: the signature is the event's key
    const header = { "x-nightshift-signature": signEvent(SECRET, body, now()) };
    const first = await post("signed", body, header);
    expect(first.status).toBe(202);
    const { processId } = (await first.json()) as Json;
    const before = await t.processCount();
    const again = await post("signed", body, header);
    expect(again.status).toBe(200);
    expect(((await again.json()) as Json).processId).toBe(processId);
    expect(again.headers.get("location")).toContain(`/processes/${processId}`);
    expect(await t.processCount()).toBe(before);
  });
});

describe("idempotency", () => {
  it("20 concurrent identical events start one process; the others answer it with 200", async () => {
    const before = await t.processCount();
    const body = JSON.stringify({ event: { id: "burst-1" }, item: { count: 20 } });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => signed("signed", body, now() - (i % 3))),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as Json).processId)));
    expect(ids.size).toBe(1);
    expect(await t.processCount()).toBe(before + 1);
  });

  it("the Idempotency-Key header makes a differently signed repeat answer the first process", async () => {
    const body = JSON.stringify({ item: { count: 4 } });
    const key = { "idempotency-key": "header-key-1" };
    const first = await signed("signed", body, now(), SECRET, key);
    expect(first.status).toBe(202);
    const second = await signed("signed", body, now() - 5, SECRET, key);
    expect(second.status).toBe(200);
    expect(((await second.json()) as Json).processId).toBe(((await first.json()) as Json).processId);
  });
});

describe("refusals", () => {
  it("an unknown trigger is 404; a payload that does not map is 422 naming the parameter", async () => {
    await refusedWithoutProcess(signed("nope", "{}"), 404);
    const missing = await refusedWithoutProcess(signed("signed", JSON.stringify({ item: {} })), 422);
    expect(missing.errors).toEqual([expect.objectContaining({ parameter: "--count" })]);
    const wrong = await refusedWithoutProcess(
      signed("signed", JSON.stringify({ item: { count: "many" } })),
      422,
    );
    expect(JSON.stringify(wrong.errors)).toContain("--count");
    await refusedWithoutProcess(signed("signed", "not json"), 400);
  });

  it("past the rate limit: 429 with Retry-After, and no process", async () => {
    for (let i = 0; i < 3; i++) expect((await signed("limited", JSON.stringify({ n: i }))).status).toBe(202);
    const before = await t.processCount();
    const res = await signed("limited", JSON.stringify({ n: 9 }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await t.processCount()).toBe(before);
  });
});

describe("bearer tokens", () => {
  it("a user allowed to run the script starts it; others and no token are 401", async () => {
    const ok = await post("tokened", JSON.stringify({ n: 5 }), {}, t.users.op);
    expect(ok.status).toBe(202);
    const p = await t.engine.service.getProcess(((await ok.json()) as Json).processId);
    expect(p).toMatchObject({ trigger: "tokened", userId: t.users.op.id });
    await refusedWithoutProcess(post("tokened", JSON.stringify({ n: 5 }), {}, t.users.viewer), 401);
    await refusedWithoutProcess(post("tokened", JSON.stringify({ n: 5 })), 401);
  });
});

describe("listing and metrics", () => {
  it("GET /api/system/triggers lists them; /metrics counts events", async () => {
    const list = await t.json<Json>(t.users.viewer, "GET", "/api/system/triggers");
    expect(list.body._embedded.triggers.map((x: Json) => x.name)).toEqual(["signed", "limited", "tokened"]);
    const metrics = await (await t.call(t.users.admin, "GET", "/metrics")).text();
    expect(metrics).toMatch(
      /nightshift_trigger_events_total\{trigger="signed",result="accepted",node="[^"]+"\} \d+/,
    );
    expect(metrics).toMatch(
      /nightshift_trigger_events_total\{trigger="signed",result="refused",node="[^"]+"\} \d+/,
    );
  });
});
