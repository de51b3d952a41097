import { afterEach, describe, expect, it } from "vitest";
import { OutcomeUnknownError, WorldCatError, WorldCatNetworkError } from "../src/worldcat/errors.js";
import { createConnectionPool } from "../src/worldcat/transport/http.js";
import { parseRetryAfter } from "../src/worldcat/transport/retry.js";
import { createTransport, type TransportOptions } from "../src/worldcat/transport/transport.js";
import {
  manualClock,
  type Reply,
  recordingSleep,
  startTestServer,
  type TestServer,
} from "./fixtures/worldcat/server.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(replies: (n: number) => Reply, extra: Partial<TransportOptions> = {}) {
  const server = await startTestServer((_req, n) => replies(n));
  const pool = createConnectionPool(4);
  cleanups.push(
    () => server.close(),
    () => pool.close(),
  );
  const { sleep, waits } = recordingSleep();
  const transport = createTransport({ pool, sleep, random: () => 0.5, ...extra });
  return { server, transport, waits };
}

const ok: Reply = { status: 200, body: '{"ok":true}' };

describe("transport retries", () => {
  it("retries 503 honouring Retry-After in seconds", async () => {
    const { server, transport, waits } = await setup((n) =>
      n < 3 ? { status: 503, headers: { "retry-after": "2" }, body: "busy" } : ok,
    );
    const res = await transport.request({ method: "GET", url: `${server.url}/x` });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([2000, 2000]);
  });

  it("retries 429 honouring Retry-After as an HTTP date", async () => {
    const clock = manualClock(Date.parse("2026-01-01T00:00:00Z"));
    const { server, transport, waits } = await setup(
      (n) => (n === 1 ? { status: 429, headers: { "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" } } : ok),
      { clock },
    );
    await transport.request({ method: "GET", url: `${server.url}/x` });
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([3000]);
  });

  it("backs off exponentially with jitter when there is no Retry-After, then gives up", async () => {
    const { server, transport, waits } = await setup(() => ({ status: 502, body: "bad gateway" }), {
      retry: { maxAttempts: 4, baseDelayMs: 100 },
    });
    const err = await transport.request({ method: "GET", url: `${server.url}/x` }).catch((e) => e);
    expect(err).toBeInstanceOf(WorldCatError);
    expect(err.status).toBe(502);
    expect(server.requests).toHaveLength(4);
    expect(waits).toEqual([50, 100, 200]); // random 0.5 x 100, 200, 400
  });

  it("does not retry other errors (400, 404, 409)", async () => {
    const { server, transport } = await setup(() => ({
      status: 409,
      body: '{"type":"CONFLICT","title":"Conflict","detail":"stale 005"}',
    }));
    const err = await transport
      .request({ method: "PUT", url: `${server.url}/x`, body: "<r/>" })
      .catch((e) => e);
    expect(err.status).toBe(409);
    expect(err.oclcCode).toBe("CONFLICT");
    expect(server.requests).toHaveLength(1);
  });

  it("retries a refused connection, then reports a network error", async () => {
    const { server, transport, waits } = await setup(() => ok, {
      retry: { maxAttempts: 3, baseDelayMs: 10 },
    });
    const url = `${server.url}/x`;
    await server.close();
    const err = await transport.request({ method: "GET", url }).catch((e) => e);
    expect(err).toBeInstanceOf(WorldCatNetworkError);
    expect(err.networkCode).toBe("ECONNREFUSED");
    expect(waits).toHaveLength(2);
  });

  it("retries an idempotent GET after a read timeout", async () => {
    const { server, transport } = await setup((n) => (n === 1 ? { hang: true } : ok), {
      timeouts: { readMs: 500 },
    });
    const res = await transport.request({ method: "GET", url: `${server.url}/x` });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(2);
  });
});

describe("creates are never blindly retried", () => {
  it("reports a POST create that times out as outcome unknown, sent once", async () => {
    const { server, transport, waits } = await setup(() => ({ hang: true }), { timeouts: { readMs: 500 } });
    const err = await transport
      .request({ method: "POST", url: `${server.url}/manage/bibs`, body: "<record/>", create: true })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.reason).toBe("READ_TIMEOUT");
    expect(err.message).toMatch(/outcome unknown/);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("reports a 503 on a create as outcome unknown, sent once", async () => {
    const { server, transport } = await setup(() => ({ status: 503, headers: { "retry-after": "1" } }));
    const err = await transport
      .request({ method: "POST", url: `${server.url}/manage/bibs`, body: "<record/>", create: true })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err.status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it("still retries a create refused before anything was sent, and on 429", async () => {
    const { server, transport } = await setup((n) =>
      n === 1 ? { status: 429, headers: { "retry-after": "0" } } : ok,
    );
    const res = await transport.request({
      method: "POST",
      url: `${server.url}/manage/bibs`,
      body: "<r/>",
      create: true,
    });
    expect(res.status).toBe(200);
    expect(server.requests).toHaveLength(2);
    await server.close();
    const err = await transport
      .request({ method: "POST", url: `${server.url}/manage/bibs`, body: "<r/>", create: true })
      .catch((e) => e);
    expect(err).toBeInstanceOf(WorldCatNetworkError);
    expect(err).not.toBeInstanceOf(OutcomeUnknownError);
  });
});

describe("connections and limits", () => {
  it("reuses one keep-alive connection for sequential requests", async () => {
    const { server, transport } = await setup(() => ok);
    for (let i = 0; i < 20; i++) await transport.request({ method: "GET", url: `${server.url}/x?i=${i}` });
    expect(server.requests).toHaveLength(20);
    expect(server.connections()).toBe(1);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const server: TestServer = await startTestServer(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return ok;
    });
    const pool = createConnectionPool(16);
    cleanups.push(
      () => server.close(),
      () => pool.close(),
    );
    const transport = createTransport({ pool, concurrency: 3 });
    await Promise.all(
      Array.from({ length: 30 }, () => transport.request({ method: "GET", url: `${server.url}/x` })),
    );
    expect(peak).toBeLessThanOrEqual(3);
    expect(peak).toBeGreaterThan(1);
  });

  it("redacts tokens echoed in error bodies and log lines", async () => {
    const lines: string[] = [];
    const { server, transport } = await setup(
      () => ({ status: 400, body: "bad header: Bearer tk_SECRETTOKEN123" }),
      {
        log: (l) => lines.push(l),
      },
    );
    const err = await transport
      .request({
        method: "GET",
        url: `${server.url}/x`,
        headers: { authorization: "Bearer tk_SECRETTOKEN123" },
      })
      .catch((e) => e);
    expect(String(err.message)).not.toContain("SECRETTOKEN");
    expect(String(err.message)).toContain("[REDACTED]");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 00:00:10 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe("the final error says whether an earlier attempt may have been applied", () => {
  const notFound: Reply = { status: 404, body: '{"title":"Not Found","detail":"no such record"}' };
  const finalError = async (replies: (n: number) => Reply) => {
    const { server, transport } = await setup(replies, { timeouts: { readMs: 300 } });
    return (await transport
      .request({ method: "DELETE", url: `${server.url}/manage/lbds/5` })
      .catch((e: unknown) => e)) as WorldCatError;
  };

  it("yes after a timeout once the request was sent, then a 404 to the retry", async () => {
    const err = await finalError((n) => (n === 1 ? { hang: true } : notFound));
    expect(err.status).toBe(404);
    expect(err.attempts).toBe(2);
    expect(err.earlierAttemptMayHaveApplied).toBe(true);
  });

  it("yes after a 502, then a 404", async () => {
    const err = await finalError((n) => (n === 1 ? { status: 502, body: "bad gateway" } : notFound));
    expect(err.earlierAttemptMayHaveApplied).toBe(true);
  });

  it("no for a first answer, or after a 429 (refused, not applied)", async () => {
    expect((await finalError(() => notFound)).earlierAttemptMayHaveApplied).toBe(false);
    const after429 = await finalError((n) =>
      n === 1 ? { status: 429, headers: { "retry-after": "0" } } : notFound,
    );
    expect(after429.attempts).toBe(2);
    expect(after429.earlierAttemptMayHaveApplied).toBe(false);
  });
});
