import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_BASE_URLS } from "../src/worldcat/accounts.js";
import { bearerAuthorizer } from "../src/worldcat/auth/authorizers.js";
import { hmacSignature } from "../src/worldcat/auth/hmac.js";
import { createTokenManager, parseTokenResponse, type TokenAccount } from "../src/worldcat/auth/tokens.js";
import { WorldCatError } from "../src/worldcat/errors.js";
import { createConnectionPool } from "../src/worldcat/transport/http.js";
import { createTransport } from "../src/worldcat/transport/transport.js";
import { type Handler, manualClock, startTestServer } from "./fixtures/worldcat/server.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function account(url: string, over: Partial<TokenAccount> = {}): TokenAccount {
  return {
    name: "test",
    auth: "token",
    key: "my-key",
    secret: "my-secret",
    principalID: "pid-1",
    principalIDNS: "urn:oclc:wms:da",
    registryId: "128807",
    scopes: ["WorldCatMetadataAPI"],
    baseUrls: { ...DEFAULT_BASE_URLS, oauth: url, authn: url, metadata: `${url}/worldcat`, worldcat: url },
    ...over,
  };
}

const tokenBody = (n: number, expiresIn: number | string = 1199) =>
  JSON.stringify({
    access_token: `tk_token${n}`,
    token_type: "bearer",
    expires_in: expiresIn,
    scope: "WorldCatMetadataAPI",
  });

async function setup(handler: Handler, over: Partial<TokenAccount> = {}) {
  const server = await startTestServer(handler);
  const pool = createConnectionPool(64);
  cleanups.push(
    () => server.close(),
    () => pool.close(),
  );
  const clock = manualClock();
  const transport = createTransport({ pool, clock, sleep: async () => {} });
  const tokens = createTokenManager({
    account: account(server.url, over),
    transport,
    clock,
    marginMs: 60_000,
  });
  return { server, transport, tokens, clock };
}

/** Resolves once the test server has received a request (polling, with a deadline). */
async function firstRequest(server: { requests: unknown[] }): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (server.requests.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
}

/** A token server that holds every answer until `release()`; its tokens are tk_token1, tk_token2, ... */
async function gatedTokenServer() {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let n = 0;
  const { server, tokens } = await setup(async () => {
    await gate;
    return { body: tokenBody(++n) };
  });
  return { server, tokens, release };
}

describe("current client-credentials flow", () => {
  it("POSTs to /token with Basic auth and the scope plus context, and caches the token", async () => {
    let n = 0;
    const { server, tokens } = await setup(() => ({ body: tokenBody(++n, "3599") }));
    const t1 = await tokens.getToken();
    const t2 = await tokens.getToken();
    expect(t1.value).toBe("tk_token1");
    expect(t2).toBe(t1);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0];
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/token?grant_type=client_credentials&scope=WorldCatMetadataAPI%20context%3A128807");
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from("my-key:my-secret").toString("base64")}`);
    expect(req.body).toBe("");
  });

  it("refreshes before expiry, inside the safety margin, not after it", async () => {
    let n = 0;
    const { server, tokens, clock } = await setup(() => ({ body: tokenBody(++n, 1200) }));
    expect((await tokens.getToken()).value).toBe("tk_token1");
    clock.advance(1200_000 - 61_000); // 61 s before expiry: still cached
    expect((await tokens.getToken()).value).toBe("tk_token1");
    clock.advance(2_000); // 59 s before expiry: inside the margin
    expect((await tokens.getToken()).value).toBe("tk_token2");
    expect(server.requests).toHaveLength(2);
  });

  it("reads expires_at when there is no expires_in", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    const t = parseTokenResponse('{"access_token":"tk_x","expires_at":"2026-01-01 00:20:00Z"}', now, 60_000);
    expect(t.expiresAt).toBe(Date.parse("2026-01-01T00:20:00Z"));
    expect(t.refreshAt).toBe(Date.parse("2026-01-01T00:19:00Z"));
  });

  it("sends one token request for 50 concurrent callers (single flight)", async () => {
    const { server, tokens, release } = await gatedTokenServer();
    const waiting = Array.from({ length: 50 }, () => tokens.getToken());
    // Wait until the one token request reached the server, then let it answer.
    await firstRequest(server);
    release();
    const got = await Promise.all(waiting);
    expect(new Set(got.map((t) => t.value))).toEqual(new Set(["tk_token1"]));
    expect(server.requests).toHaveLength(1);
    expect(tokens.fetches).toBe(1);
  });

  it("the first caller of a refresh giving up (its process cancelled) does not fail the others waiting", async () => {
    const { server, tokens, release } = await gatedTokenServer();
    const first = new AbortController();
    const firstCall = tokens.getToken(first.signal);
    const others = Array.from({ length: 5 }, () => tokens.getToken(new AbortController().signal));
    await firstRequest(server);
    first.abort(new Error("cancelled while running"));
    await expect(firstCall).rejects.toThrow("cancelled while running");
    release();
    const got = await Promise.all(others);
    expect(new Set(got.map((t) => t.value))).toEqual(new Set(["tk_token1"]));
    expect(server.requests).toHaveLength(1);
  });

  it("50 concurrent API calls share one token; a 401 refreshes once and each call retries once", async () => {
    let tokenN = 0;
    const { server, transport, tokens } = await setup((req) => {
      if (req.url.startsWith("/token")) return { body: tokenBody(++tokenN) };
      // The first token is revoked server-side: every call made with it gets 401.
      if (req.headers.authorization === "Bearer tk_token1")
        return { status: 401, body: '{"message":"Unauthorized"}' };
      return { body: "{}" };
    });
    const auth = bearerAuthorizer(tokens);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        transport.request({ method: "GET", url: `${server.url}/worldcat/x?i=${i}`, auth }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(server.requests.filter((r) => r.url.startsWith("/token"))).toHaveLength(2);
    expect(tokens.peek()?.value).toBe("tk_token2");
  });

  it("gives up after one refresh when the new token is refused too", async () => {
    const { server, transport, tokens } = await setup((req) =>
      req.url.startsWith("/token")
        ? { body: tokenBody(1) }
        : {
            status: 401,
            headers: { "www-authenticate": 'WSKeyV2 error="invalid_token" error_description="expired"' },
          },
    );
    const err = await transport
      .request({ method: "GET", url: `${server.url}/worldcat/x`, auth: bearerAuthorizer(tokens) })
      .catch((e) => e);
    expect(err).toBeInstanceOf(WorldCatError);
    expect(err.status).toBe(401);
    expect(err.oclcCode).toBe("invalid_token");
    expect(server.requests.filter((r) => r.url.startsWith("/token"))).toHaveLength(2);
    expect(server.requests).toHaveLength(4);
  });

  it("reports a token server refusal as a WorldCatError without the secret", async () => {
    const { tokens } = await setup(() => ({
      status: 403,
      body: '{"code":403,"message":"Invalid scope(s): WMS_ACQ for my-secret"}',
    }));
    const err = await tokens.getToken().catch((e) => e);
    expect(err).toBeInstanceOf(WorldCatError);
    expect(err.status).toBe(403);
    expect(err.message).toContain("Invalid scope(s)");
    expect(err.message).not.toContain("my-secret");
  });
});

describe("legacy HMAC-signed accessToken flow", () => {
  it("signs POST /oauth2/accessToken with institution ids, scope and principal", async () => {
    const { server, tokens, clock } = await setup(() => ({ body: tokenBody(1) }), {
      auth: "hmac",
      scopes: ["WorldCatMetadataAPI", "WMS_ACQ"],
    });
    await tokens.getToken();
    const req = server.requests[0];
    const url = new URL(req.url, server.url);
    expect(url.pathname).toBe("/oauth2/accessToken");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      grant_type: "client_credentials",
      authenticatingInstitutionId: "128807",
      contextInstitutionId: "128807",
      scope: "WorldCatMetadataAPI WMS_ACQ",
    });
    const header = String(req.headers.authorization);
    const params = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(header.startsWith("http://www.worldcat.org/wskey/v2/hmac/v1 ")).toBe(true);
    expect(params.clientId).toBe("my-key");
    expect(params.timestamp).toBe(String(Math.floor(clock.now() / 1000)));
    expect(params.principalID).toBe("pid-1");
    expect(params.principalIDNS).toBe("urn:oclc:wms:da");
    const expected = hmacSignature({
      key: "my-key",
      secret: "my-secret",
      method: "POST",
      url: `${server.url}${req.url}`,
      timestamp: params.timestamp,
      nonce: params.nonce,
    });
    expect(params.signature).toBe(expected);
  });
});
