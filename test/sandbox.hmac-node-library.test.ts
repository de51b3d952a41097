/**
 * The sandbox also accepts requests signed the way OCLC's Node library (oclc-auth-node) signs them: the
 * query parameters as sent (no decoding or re-encoding), sorted as sent, empty values left out. Computed
 * here by an independent re-implementation, not our signer.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 4, rngSeed: 3 });
});
afterAll(() => sb.close());

function nodeLibrarySignature(key: string, secret: string, url: string, ts: number, nonce: string) {
  let lines = "";
  for (const param of url
    .slice(url.indexOf("?") + 1)
    .split("&")
    .sort()) {
    const [name, value] = param.split("=");
    if (value)
      lines += `${name}=${value.replace(/!/g, "%21").replace(/\*/g, "%2A").replace(/'/g, "%27").replace(/\(/g, "%28").replace(/\)/g, "%29")}\n`;
  }
  const normalized = `${key}\n${ts}\n${nonce}\n\nGET\nwww.oclc.org\n443\n/wskey\n${lines}`;
  return createHmac("sha256", secret).update(normalized).digest("base64");
}

it("a query with '+', a raw ':' and an empty value, signed as sent, is accepted; a wrong signature is not", async () => {
  const a = sb.accounts[0];
  const url = `${sb.url}/worldcat/search/brief-bibs?q=ti:Synthetic+record+1&limit=2&offset=`;
  const send = async (signature: string, nonce: string) => {
    const ts = Math.floor(Date.now() / 1000);
    const sig = signature === "right" ? nodeLibrarySignature(a.key, a.secret, url, ts, nonce) : signature;
    return fetch(url, {
      headers: {
        authorization: `http://www.worldcat.org/wskey/v2/hmac/v1 clientId="${a.key}", timestamp="${ts}", nonce="${nonce}", signature="${sig}", principalId="${a.principalID}", principalIdns="${a.principalIDNS}"`,
      },
    });
  };
  const ok = await send("right", "node-1");
  expect(ok.status, await ok.clone().text()).toBe(200);
  expect(((await ok.json()) as { numberOfRecords: number }).numberOfRecords).toBeGreaterThan(0);
  const bad = await send("AAAA", "node-2");
  expect(bad.status).toBe(401);
  await bad.arrayBuffer();
});
