/**
 * Review round 2: the sandbox accepts requests signed the way OCLC's own PHP and Python libraries sign them,
 * computed here by an independent re-implementation (not our signer): decode each name and value, re-encode
 * as PHP's urlencode then "+" -> %20, "*" -> %2A, "%7E" -> "~", sort by (name, value); headers spelled as the
 * PHP library (`", "`, principalID) and the Python library (`","`, principal after the signature) send them.
 */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 4, rngSeed: 3 });
});
afterAll(() => sb.close());

const phpUrlencode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function oclcLibrarySignature(
  key: string,
  secret: string,
  method: string,
  url: string,
  ts: number,
  nonce: string,
) {
  const query = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
  const pairs = query
    .split("&")
    .filter((p) => p !== "")
    .map(
      (p) => p.split("=").map((x) => decodeURIComponent((x ?? "").replace(/\+/g, " "))) as [string, string],
    );
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  let normalized = `${key}\n${ts}\n${nonce}\n\n${method}\nwww.oclc.org\n443\n/wskey\n`;
  for (const [n, v] of pairs)
    normalized += `${`${phpUrlencode(n)}=${phpUrlencode(v ?? "")}`.replace(/\+/g, "%20").replace(/%7E/g, "~")}\n`;
  return createHmac("sha256", secret).update(normalized).digest("base64");
}

describe("HMAC requests as OCLC's PHP and Python libraries send them", () => {
  const styles = {
    php: (k: string, ts: number, n: string, sig: string, p: string, ns: string) =>
      `http://www.worldcat.org/wskey/v2/hmac/v1 clientId="${k}", timestamp="${ts}", nonce="${n}", signature="${sig}", principalID="${p}", principalIDNS="${ns}"`,
    python: (k: string, ts: number, n: string, sig: string, p: string, ns: string) =>
      `http://www.worldcat.org/wskey/v2/hmac/v1 clientId="${k}",timestamp="${ts}",nonce="${n}",signature="${sig}",principalID="${p}",principalIDNS="${ns}"`,
  };

  for (const [style, header] of Object.entries(styles)) {
    it(`${style}: reserved characters in the query, first API and Metadata API 2.0`, async () => {
      const a = sb.accounts[0];
      const paths = [
        "/bib/data/100000001?holdingLibraryCode=MAIN&classificationScheme=LibraryOfCongress&note=a+b%3Ac%2A~%21%27%28%29",
        "/worldcat/search/brief-bibs?q=ti%3ASynthetic+record+1&limit=2",
        "/worldcat/manage/bibs/current?oclcNumbers=100000001,100000002",
      ];
      let i = 0;
      for (const path of paths) {
        const url = `${sb.url}${path}`;
        const ts = Math.floor(Date.now() / 1000);
        const nonce = `0x${style}${i++}`;
        const sig = oclcLibrarySignature(a.key, a.secret, "GET", url, ts, nonce);
        const res = await fetch(url, {
          headers: { authorization: header(a.key, ts, nonce, sig, a.principalID, a.principalIDNS) },
        });
        expect(res.status, `${style} ${path}: ${await res.clone().text()}`).toBe(200);
        await res.arrayBuffer();
      }
    });
  }
});
