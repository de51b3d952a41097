import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/sandbox/index.js";
import {
  bearer,
  hmac,
  json,
  lbdXml,
  MARCXML,
  NEW_RECORD,
  sandbox,
  V1_XML,
} from "./fixtures/sandbox/harness.js";

let sb: Sandbox;
let h: Record<string, string>;
const INST = () => `${sb.url}/worldcat/manage/institution`;

beforeAll(async () => {
  sb = await sandbox({ seed: 3000 });
  h = await bearer(sb);
});
afterAll(() => sb.close());

const post = (url: string, body?: string) =>
  fetch(url, { method: "POST", headers: { ...h, ...(body ? { "content-type": MARCXML } : {}) }, body });
const current = async (n: string) =>
  (await json(await fetch(`${INST()}/holdings/current?oclcNumbers=${n}`, { headers: h }))).holdings;

describe("Metadata API 2.0 holdings", () => {
  it("set, current, unset; repeated set or unset says so in a 200", async () => {
    const n = "100000011"; // odd synthetic number: not held at start
    expect(await current(n)).toEqual([
      { requestedControlNumber: n, currentControlNumber: n, institutionSymbol: "OCPSB", holdingSet: false },
    ]);
    let res = await post(`${INST()}/holdings/${n}/set`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      controlNumber: n,
      requestedControlNumber: n,
      institutionCode: "128807",
      institutionSymbol: "OCPSB",
      firstTimeUse: false,
      success: true,
      message: "Holding Updated Successfully",
      action: "Set Holdings",
    });
    expect((await current(n))[0].holdingSet).toBe(true);
    res = await post(`${INST()}/holdings/${n}/set`);
    expect((await json(res)).message).toBe("WorldCat Holding already set.");
    res = await post(`${INST()}/holdings/${n}/unset`);
    expect(await json(res)).toMatchObject({
      success: true,
      action: "Unset Holdings",
      message: "Holding Updated Successfully",
    });
    res = await post(`${INST()}/holdings/${n}/unset`);
    expect((await json(res)).message).toBe("WorldCat Holding already unset.");
  });

  it("set on a merged number lands on the current record", async () => {
    const res = await post(`${INST()}/holdings/100001000/set`);
    const body = await json(res);
    expect(body).toMatchObject({ requestedControlNumber: "100001000", controlNumber: "100000999" });
    expect((await current("100000999"))[0].holdingSet).toBe(true);
  });

  it("set and unset from a MARC body (number in 001 or 035); 404 for an unknown number", async () => {
    const withNumber = NEW_RECORD.replace(
      '<datafield tag="040"',
      '<datafield tag="035" ind1=" " ind2=" "><subfield code="a">(OCoLC)100000013</subfield></datafield><datafield tag="040"',
    );
    let res = await post(`${INST()}/holdings/set`, withNumber);
    expect(await json(res)).toMatchObject({ controlNumber: "100000013", success: true });
    res = await post(`${INST()}/holdings/unset`, withNumber);
    expect(await json(res)).toMatchObject({ action: "Unset Holdings" });
    res = await post(`${INST()}/holdings/set`, NEW_RECORD);
    expect(res.status).toBe(400);
    res = await post(`${INST()}/holdings/999999999999/set`);
    expect(res.status).toBe(404);
  });

  it("holding codes, as the live service sends them: the description in code, the code in name", async () => {
    const res = await fetch(`${INST()}/holding-codes`, { headers: h });
    expect(await json(res)).toEqual({
      holdingLibraryCodes: [
        { code: "Main Library", name: "MAIN" },
        { code: "Oregon Annex", name: "OREA" },
      ],
    });
  });

  it("unset with local bib data: refused without cascade, cascades by default", async () => {
    const n = 100000021;
    await post(`${INST()}/holdings/${n}/set`);
    const lbd = await fetch(`${sb.url}/worldcat/manage/lbds`, {
      method: "POST",
      headers: { ...h, "content-type": MARCXML },
      body: lbdXml(n, "cascade-1", "OCPSB"),
    });
    expect(lbd.status).toBe(201);
    let res = await post(`${INST()}/holdings/${n}/unset?cascadeDelete=false`);
    expect(res.status).toBe(409);
    expect(sb.state.lbds.size).toBeGreaterThan(0);
    res = await post(`${INST()}/holdings/${n}/unset`);
    expect(res.status).toBe(200);
    expect([...sb.state.lbds.values()].some((l) => l.ocn === n)).toBe(false);
  });

  it("holdings are per institution", async () => {
    const other = await bearer(sb, sb.accounts[1], "WorldCatMetadataAPI:manage_institution_holdings");
    const n = "100000031";
    await post(`${INST()}/holdings/${n}/set`);
    const res = await fetch(`${INST()}/holdings/current?oclcNumbers=${n}`, { headers: other });
    expect((await json(res)).holdings[0]).toMatchObject({ institutionSymbol: "NSHFT", holdingSet: false });
  });
});

describe("first API holdings (/ih/data) and codes", () => {
  const signed = (method: string, url: string) => ({
    authorization: hmac(sb.accounts[0], method, url, { timestamp: Math.floor(Date.now() / 1000) }),
  });
  const ih = (method: string, query: string) => {
    const url = `${sb.url}/ih/data?${query}`;
    return fetch(url, { method, headers: signed(method, url) });
  };

  it("200 with an empty body, then 409 WS-409 when already set / not held", async () => {
    let res = await ih(
      "POST",
      "oclcNumber=100000041&holdingLibraryCode=MAIN&classificationScheme=LibraryOfCongress",
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    res = await ih("POST", "oclcNumber=100000041&holdingLibraryCode=MAIN");
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(
      '<error xmlns="http://worldcat.org/xmlschemas/response"><code type="application">WS-409</code><message>Trying to set hold while holding already exists</message></error>',
    );
    res = await ih("DELETE", "oclcNumber=100000041&holdingLibraryCode=MAIN&cascade=1");
    expect(res.status).toBe(200);
    res = await ih("DELETE", "oclcNumber=100000041&holdingLibraryCode=MAIN&cascade=1");
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("WS-409");
  });

  it("refuses a holding code the institution does not have, and a missing number", async () => {
    expect((await ih("POST", "oclcNumber=100000043&holdingLibraryCode=ZZZZ")).status).toBe(400);
    expect((await ih("POST", "holdingLibraryCode=MAIN")).status).toBe(400);
  });

  it("holding library codes as XML", async () => {
    const url = `${sb.url}/bib/holdinglibraries?instSymbol=OCPSB`;
    const res = await fetch(url, { headers: signed("GET", url) });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(
      "<holdingLibrary><code>MAIN</code><name>Main Library</name></holdingLibrary>",
    );
    const other = `${sb.url}/bib/holdinglibraries?instSymbol=NOTME`;
    expect((await fetch(other, { headers: signed("GET", other) })).status).toBe(403);
  });
});

describe("local bibliographic data", () => {
  const LBDS = () => `${sb.url}/worldcat/manage/lbds`;
  const create = (body: string) =>
    fetch(LBDS(), { method: "POST", headers: { ...h, "content-type": MARCXML }, body });

  it("2.0 CRUD with the 004/935/940 rules", async () => {
    let res = await create(lbdXml(42943498, "loc-1", "OCPSB"));
    expect(res.status).toBe(201);
    const xml = await res.text();
    const id = /<controlfield tag="001">(\d+)</.exec(xml)![1];
    expect((await fetch(`${LBDS()}/${id}`, { headers: h })).status).toBe(200);
    expect((await create(lbdXml(42943498, "loc-1", "OCPSB"))).status).toBe(409);
    expect((await create(lbdXml(42943498, "loc-2", "NOTME"))).status).toBe(400);
    expect((await create(lbdXml(999999999999, "loc-3", "OCPSB"))).status).toBe(400);
    expect(
      (
        await create(
          lbdXml(42943498, "loc-4", "OCPSB").replace(/<datafield tag="935"[\s\S]*?<\/datafield>/, ""),
        )
      ).status,
    ).toBe(400);
    const edited = xml.replace("Local note", "Edited note");
    res = await fetch(`${LBDS()}/${id}`, {
      method: "PUT",
      headers: { ...h, "content-type": MARCXML },
      body: edited,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Edited note");
    res = await fetch(`${LBDS()}/${id}`, {
      method: "PUT",
      headers: { ...h, "content-type": MARCXML },
      body: edited,
    });
    expect(res.status).toBe(409);
    const other = await bearer(sb, sb.accounts[1], "WorldCatMetadataAPI:manage_institution_holdings");
    expect((await fetch(`${LBDS()}/${id}`, { headers: other })).status).toBe(403);
    res = await fetch(`${LBDS()}/${id}`, { method: "DELETE", headers: h });
    expect(res.status).toBe(200);
    expect((await fetch(`${LBDS()}/${id}`, { headers: h })).status).toBe(404);
  });

  it("first API /lbd/data: create, read, update, delete by body", async () => {
    const sign = (method: string, url: string) => ({
      authorization: hmac(sb.accounts[0], method, url, { timestamp: Math.floor(Date.now() / 1000) }),
      "content-type": V1_XML,
    });
    const url = `${sb.url}/lbd/data?instSymbol=OCPSB`;
    let res = await fetch(url, {
      method: "POST",
      headers: sign("POST", url),
      body: lbdXml(42943498, "v1-loc", "OCPSB"),
    });
    expect(res.status).toBe(201);
    const entry = await res.text();
    const id = /<id>http:\/\/worldcat.org\/lbd\/data\/(\d+)<\/id>/.exec(entry)![1];
    const readUrl = `${sb.url}/lbd/data/${id}`;
    res = await fetch(readUrl, { headers: sign("GET", readUrl) });
    expect(res.status).toBe(200);
    const record = /<record [\s\S]*<\/record>/.exec(await res.text())![0];
    res = await fetch(url, {
      method: "PUT",
      headers: sign("PUT", url),
      body: record.replace("Local note", "v1 edit"),
    });
    expect(res.status).toBe(200);
    const updated = /<record [\s\S]*<\/record>/.exec(await res.text())![0];
    res = await fetch(url, { method: "DELETE", headers: sign("DELETE", url), body: updated });
    expect(res.status).toBe(200);
    res = await fetch(readUrl, { headers: sign("GET", readUrl) });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("<oclc:error>");
  });
});
