import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/sandbox/index.js";
import { HMAC_SCHEME, hmacSignature } from "../src/worldcat/auth/hmac.js";
import { basic, bearer, hmac, json, sandbox, tokenFor } from "./fixtures/sandbox/harness.js";

let sb: Sandbox;
let clock = Date.parse("2026-01-01T00:00:00Z");

beforeAll(async () => {
  sb = await sandbox({ now: () => clock });
});
afterAll(() => sb.close());

const tokenUrl = (scope: string) =>
  `${sb.url}/token?grant_type=client_credentials&scope=${encodeURIComponent(scope)}`;

describe("POST /token (client credentials, Basic auth)", () => {
  it("issues a bearer token shaped like OCLC's", async () => {
    const a = sb.accounts[0];
    const res = await fetch(tokenUrl(`WorldCatMetadataAPI context:${a.registryId}`), {
      method: "POST",
      headers: { authorization: basic(a) },
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({
      token_type: "bearer",
      expires_in: 1199,
      expires_at: "2026-01-01 00:19:59Z",
      authenticating_institution_id: a.registryId,
      context_institution_id: a.registryId,
      principalID: a.principalID,
      principalIDNS: a.principalIDNS,
      scope: "WorldCatMetadataAPI",
    });
    expect(body.access_token).toMatch(/^tk_/);
  });

  it("refuses a wrong secret and a missing Basic header with 401", async () => {
    const a = sb.accounts[0];
    const wrong = `Basic ${Buffer.from(`${a.key}:nope`).toString("base64")}`;
    for (const headers of [{ authorization: wrong }, {} as Record<string, string>]) {
      const res = await fetch(tokenUrl("WorldCatMetadataAPI"), { method: "POST", headers });
      expect(res.status).toBe(401);
      expect(await json(res)).toEqual({
        code: 401,
        message: "No valid authentication credentials found in request",
      });
      expect(res.headers.get("www-authenticate")).toMatch(/^WSKeyV2 error="invalid_token"/);
    }
  });

  it("refuses scopes the key does not have, and another institution's context, with 403", async () => {
    const holdingsOnly = sb.accounts[1];
    let res = await fetch(tokenUrl("WorldCatMetadataAPI:manage_bibs"), {
      method: "POST",
      headers: { authorization: basic(holdingsOnly) },
    });
    expect(res.status).toBe(403);
    expect(await json(res)).toEqual({
      code: 403,
      message: "Invalid scope(s): WorldCatMetadataAPI:manage_bibs",
    });
    res = await fetch(tokenUrl("WorldCatMetadataAPI context:999999"), {
      method: "POST",
      headers: { authorization: basic(sb.accounts[0]) },
    });
    expect(res.status).toBe(403);
  });

  it("token expires: 401 after expires_in seconds", async () => {
    const h = await bearer(sb);
    const url = `${sb.url}/worldcat/manage/bibs/42943498`;
    expect((await fetch(url, { headers: h })).status).toBe(200);
    clock += 1199 * 1000;
    const res = await fetch(url, { headers: h });
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual({ message: "Unauthorized" });
    expect(res.headers.get("www-authenticate")).toContain("expired");
  });

  it("unknown token 401; token without the operation's scope 403", async () => {
    let res = await fetch(`${sb.url}/worldcat/manage/bibs/42943498`, {
      headers: { authorization: "Bearer tk_nope" },
    });
    expect(res.status).toBe(401);
    const h = await bearer(sb, sb.accounts[0], "WorldCatMetadataAPI:view_brief_bibs");
    res = await fetch(`${sb.url}/worldcat/manage/bibs/42943498`, { headers: h });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ type: "FORBIDDEN" });
    res = await fetch(`${sb.url}/worldcat/search/brief-bibs/42943498`, { headers: h });
    expect(res.status).toBe(200);
  });
});

describe("POST /oauth2/accessToken (legacy, HMAC-signed)", () => {
  it("issues a token for a correctly signed request", async () => {
    const a = sb.accounts[0];
    const url = `${sb.url}/oauth2/accessToken?grant_type=client_credentials&authenticatingInstitutionId=${a.registryId}&contextInstitutionId=${a.registryId}&scope=WorldCatMetadataAPI`;
    const now = Math.floor(clock / 1000);
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: hmac(a, "POST", url, { timestamp: now }), accept: "application/json" },
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.access_token).toMatch(/^tk_/);
    expect(body.principalID).toBe(a.principalID);
    const api = await fetch(`${sb.url}/worldcat/manage/bibs/42943498`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(api.status).toBe(200);
  });

  it("refuses a bad signature (401) and a scope the key lacks (403, old error shape)", async () => {
    const a = sb.accounts[1];
    const url = `${sb.url}/oauth2/accessToken?grant_type=client_credentials&authenticatingInstitutionId=${a.registryId}&contextInstitutionId=${a.registryId}&scope=WorldCatMetadataAPI`;
    const ts = Math.floor(clock / 1000);
    let res = await fetch(url, {
      method: "POST",
      headers: { authorization: hmac(a, "POST", url, { timestamp: ts, secret: "x" }) },
    });
    expect(res.status).toBe(401);
    res = await fetch(url, {
      method: "POST",
      headers: { authorization: hmac(a, "POST", url, { timestamp: ts }) },
    });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({
      error: { errorMessage: "unauthorized_client", errorCode: 403 },
    });
  });
});

describe("HMAC-signed API calls (the first API's way)", () => {
  const read = (
    headers: Record<string, string>,
    query = "?classificationScheme=LibraryOfCongress&holdingLibraryCode=MAIN",
  ) => fetch(`${sb.url}/bib/data/42943498${query}`, { headers });

  it("accepts every header variant OCLC's libraries send", async () => {
    const a = sb.accounts[0];
    const query = "?classificationScheme=LibraryOfCongress&holdingLibraryCode=MAIN&inst=128807";
    const url = `https://worldcat.org/bib/data/42943498${query}`;
    const ts = Math.floor(clock / 1000);
    const variants = [
      (sig: string, n: string) =>
        `${HMAC_SCHEME} clientId="${a.key}", timestamp="${ts}", nonce="${n}", signature="${sig}", principalID="${a.principalID}", principalIDNS="${a.principalIDNS}"`,
      (sig: string, n: string) =>
        `${HMAC_SCHEME} clientID="${a.key}",timestamp="${ts}",nonce="${n}",signature="${sig}",principalId="${a.principalID}",principalIdns="${a.principalIDNS}"`,
      (sig: string, n: string) =>
        `${HMAC_SCHEME} clientId="${a.key}", timestamp="${ts}", nonce="${n}", signature="${sig}", extra="1", principalID="${a.principalID}"`,
      (sig: string, n: string) =>
        `${HMAC_SCHEME} clientId="${a.key}", timestamp="${ts}", nonce="${n}", signature="${sig}"`,
    ];
    let i = 0;
    for (const variant of variants) {
      const nonce = `v${i++}`;
      const sig = hmacSignature({ key: a.key, secret: a.secret, method: "GET", url, timestamp: ts, nonce });
      const res = await read({ authorization: variant(sig, nonce) }, query);
      expect(res.status, `variant ${i}`).toBe(200);
      expect(await res.text()).toContain('<entry xmlns="http://www.w3.org/2005/Atom">');
    }
  });

  it("refuses a replayed nonce", async () => {
    const a = sb.accounts[0];
    const url = `${sb.url}/bib/data/42943498?classificationScheme=LibraryOfCongress&holdingLibraryCode=MAIN`;
    const header = hmac(a, "GET", url, { timestamp: Math.floor(clock / 1000), nonce: "once-only" });
    expect((await read({ authorization: header })).status).toBe(200);
    const again = await read({ authorization: header });
    expect(again.status).toBe(401);
    expect(await again.text()).toMatch(
      /<error xmlns="http:\/\/worldcat.org\/xmlschemas\/response">.*replayed/,
    );
  });

  it("refuses a timestamp far from server time, an unknown key, a tampered query", async () => {
    const a = sb.accounts[0];
    const url = `${sb.url}/bib/data/42943498?classificationScheme=LibraryOfCongress&holdingLibraryCode=MAIN`;
    const old = hmac(a, "GET", url, { timestamp: Math.floor(clock / 1000) - 3600 });
    expect((await read({ authorization: old })).status).toBe(401);
    const unknown = hmac({ ...a, key: "not-a-key" }, "GET", url, { timestamp: Math.floor(clock / 1000) });
    expect((await read({ authorization: unknown })).status).toBe(401);
    const signedOther = hmac(a, "GET", `${url}&x=1`, { timestamp: Math.floor(clock / 1000) });
    expect((await read({ authorization: signedOther })).status).toBe(401);
  });

  it("403 when the key lacks the operation's scope; 403 for another institution's inst", async () => {
    const holdingsOnly = sb.accounts[1];
    const url = `${sb.url}/bib/data/42943498`;
    const res = await fetch(url, {
      headers: { authorization: hmac(holdingsOnly, "GET", url, { timestamp: Math.floor(clock / 1000) }) },
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<code type="http">403</code>');
    const a = sb.accounts[0];
    const other = `${sb.url}/bib/data/42943498?inst=1`;
    const res2 = await fetch(other, {
      headers: { authorization: hmac(a, "GET", other, { timestamp: Math.floor(clock / 1000) }) },
    });
    expect(res2.status).toBe(403);
  });

  it("a signed token request works the same with a token from /token", async () => {
    const tk = await tokenFor(sb, sb.accounts[0]);
    expect((await read({ authorization: `Bearer ${tk}` })).status).toBe(200);
  });
});
