import { afterEach, describe, expect, it } from "vitest";
import { parseMarcXmlString } from "../src/marc/marcxml-string.js";
import { fingerprint, type Sandbox, startSandbox } from "../src/sandbox/index.js";
import { bearer, json, MARCXML, NEW_RECORD, sandbox } from "./fixtures/sandbox/harness.js";

const open: Sandbox[] = [];
async function start(options: Parameters<typeof sandbox>[0]) {
  const sb = await sandbox(options);
  open.push(sb);
  return sb;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const NEW_FP = fingerprint(parseMarcXmlString(NEW_RECORD)[0]);

/** Faults are decided before authentication: unauthenticated calls answer 401 unless a fault hits. */
async function statuses(sb: Sandbox, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await fetch(`${sb.url}/worldcat/manage/bibs/42943498`)).status);
  return out;
}

describe("random faults are deterministic under a seed", () => {
  it("same seed, same statuses; another seed, another sequence", async () => {
    const rates = { errorRates: { 503: 0.3, 500: 0.1 } };
    const a = await statuses(await start({ ...rates, rngSeed: 11 }), 40);
    const b = await statuses(await start({ ...rates, rngSeed: 11 }), 40);
    const c = await statuses(await start({ ...rates, rngSeed: 12 }), 40);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toContain(503);
    expect(a).toContain(401);
  });

  it("an injected 503 carries Retry-After and the API's error shape", async () => {
    const sb = await start({});
    const h = await bearer(sb);
    sb.injectFaults([{ status: 503, retryAfter: 3 }]);
    const res = await fetch(`${sb.url}/worldcat/manage/bibs/42943498`, { headers: h });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(await json(res)).toMatchObject({ type: "SERVICE_UNAVAILABLE" });
    expect((await fetch(`${sb.url}/worldcat/manage/bibs/42943498`, { headers: h })).status).toBe(200);
  });
});

describe("timeouts: outcome unknown", () => {
  const create = (sb: Sandbox, h: Record<string, string>) =>
    fetch(`${sb.url}/worldcat/manage/bibs`, {
      method: "POST",
      headers: { ...h, "content-type": MARCXML },
      body: NEW_RECORD,
      signal: AbortSignal.timeout(300),
    });

  it("a timeout after the create: the client never hears, the record exists", async () => {
    const sb = await start({});
    const h = await bearer(sb);
    // Scripted over HTTP, as a test in another process would.
    const ctl = await fetch(`${sb.url}/_sandbox/faults`, {
      method: "POST",
      body: JSON.stringify({ faults: [{ timeout: "after", path: "/manage/bibs", method: "POST" }] }),
    });
    expect(await json(ctl)).toEqual({ pending: 1 });
    await expect(create(sb, h)).rejects.toThrow();
    expect(sb.state.timesCreated(NEW_FP)).toBe(1);
    const created = sb.state.creations[0].ocn;
    expect((await fetch(`${sb.url}/worldcat/manage/bibs/${created}`, { headers: h })).status).toBe(200);
    // A client that blindly retries makes a duplicate, and the state shows it.
    expect((await create(sb, h)).status).toBe(201);
    const state = await json(await fetch(`${sb.url}/_sandbox/state`));
    expect(state.createCounts[NEW_FP]).toBe(2);
    expect(state.counters.timeoutsAfter).toBe(1);
  });

  it("a timeout before: nothing applied", async () => {
    const sb = await start({});
    const h = await bearer(sb);
    sb.injectFaults([{ timeout: "before", method: "POST", path: "/manage/bibs" }]);
    await expect(create(sb, h)).rejects.toThrow();
    expect(sb.state.timesCreated(NEW_FP)).toBe(0);
    expect(sb.state.counters.timeoutsBefore).toBe(1);
  });

  it("random timeouts split before/after, the same way for the same seed", async () => {
    const run = async () => {
      const sb = await start({ timeoutRate: 0.5, rngSeed: 99 });
      const h = await bearer(sb).catch(() => undefined);
      const outcomes: string[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await create(sb, h ?? {}).catch(() => undefined);
        outcomes.push(res ? String(res.status) : "timeout");
      }
      return { outcomes, created: sb.state.creations.length, before: sb.state.counters.timeoutsBefore };
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    expect(first.outcomes).toContain("timeout");
  });
});

describe("rate limit and latency", () => {
  it("429 with Retry-After over the rate; fine again a second later", async () => {
    let now = Date.parse("2026-03-01T00:00:00Z");
    const sb = await start({ rateLimit: 5, now: () => now });
    const h = await bearer(sb); // counts as one request of the same client
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${sb.url}/worldcat/manage/bibs/42943498`, { headers: h });
      codes.push(res.status);
      if (res.status === 429) expect(res.headers.get("retry-after")).toBe("1");
    }
    expect(codes).toEqual([200, 200, 200, 200, 429]);
    now += 1000;
    expect((await fetch(`${sb.url}/worldcat/manage/bibs/42943498`, { headers: h })).status).toBe(200);
    expect(sb.state.counters.rateLimited).toBe(1);
  });

  it("latency delays every answer", async () => {
    const sb = await start({ latencyMs: 150, jitterMs: 10 });
    const t = performance.now();
    await fetch(`${sb.url}/worldcat/manage/bibs/42943498`);
    expect(performance.now() - t).toBeGreaterThanOrEqual(135);
  });
});

describe("control endpoints", () => {
  it("are off unless enabled", async () => {
    const sb = await startSandbox({ rngSeed: 1 });
    open.push(sb);
    expect((await fetch(`${sb.url}/_sandbox/state`)).status).toBe(404);
    expect((await fetch(`${sb.url}/_sandbox/reset`, { method: "POST" })).status).toBe(404);
  });

  it("reset forgets creations, holdings and tokens; clock moves token expiry", async () => {
    const sb = await start({});
    const h = await bearer(sb);
    await fetch(`${sb.url}/worldcat/manage/bibs`, {
      method: "POST",
      headers: { ...h, "content-type": MARCXML },
      body: NEW_RECORD,
    });
    const ocn = sb.state.creations[0].ocn;
    await fetch(`${sb.url}/_sandbox/clock`, {
      method: "POST",
      body: JSON.stringify({ advanceSeconds: 1200 }),
    });
    expect((await fetch(`${sb.url}/worldcat/manage/bibs/42943498`, { headers: h })).status).toBe(401);
    expect((await fetch(`${sb.url}/_sandbox/reset`, { method: "POST" })).status).toBe(200);
    const h2 = await bearer(sb);
    expect((await fetch(`${sb.url}/worldcat/manage/bibs/${ocn}`, { headers: h2 })).status).toBe(404);
    expect(sb.state.creations).toEqual([]);
  });
});
