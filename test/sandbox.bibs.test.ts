import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeIso2709 } from "../src/marc/iso2709-writer.js";
import { parseMarcXmlString } from "../src/marc/marcxml-string.js";
import type { Sandbox } from "../src/sandbox/index.js";
import {
  bearer,
  field001,
  field005,
  fixture,
  hmac,
  INVALID_RECORD,
  json,
  MARCXML,
  NEW_RECORD,
  sandbox,
  V1_XML,
} from "./fixtures/sandbox/harness.js";

let sb: Sandbox;
let h: Record<string, string>;
const BIBS = () => `${sb.url}/worldcat/manage/bibs`;

beforeAll(async () => {
  sb = await sandbox({ seed: 5000 });
  h = await bearer(sb);
});
afterAll(() => sb.close());

const post = (url: string, body: string | Buffer, type = MARCXML, extra: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { ...h, "content-type": type, ...extra }, body });

describe("Metadata API 2.0 bibs", () => {
  it("reads a corpus record and a synthetic one as MARCXML, and as MARC 21 on request", async () => {
    let res = await fetch(`${BIBS()}/42943498`, { headers: h });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain(MARCXML);
    const [rec] = parseMarcXmlString(await res.text());
    expect(rec.controlValue("001")).toBe("ocm42943498");
    expect(rec.controlValue("003")).toBe("OCoLC");
    res = await fetch(`${BIBS()}/ocn100000042`, { headers: { ...h, accept: "application/marc" } });
    expect(res.headers.get("content-type")).toBe("application/marc");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString("utf8")).toContain("Synthetic record 42");
  });

  it("404 with the OCLC body for an unknown number; 400 for a bad one", async () => {
    let res = await fetch(`${BIBS()}/999999999999`, { headers: h });
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ type: "NOT_FOUND", detail: { summary: "NOT_FOUND" } });
    res = await fetch(`${BIBS()}/abc`, { headers: h });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({
      type: "INVALID_QUERY_PARAMETER_VALUE",
      title: "Validation Failure",
    });
  });

  it("a merged number reads as the record it was merged into; current reports it", async () => {
    const res = await fetch(`${BIBS()}/49825032`, { headers: h });
    expect(field001(await res.text())).toBe("ocm41868686");
    const cur = await fetch(`${BIBS()}/current?oclcNumbers=49825032,42943498,100001000,7`, { headers: h });
    expect(await json(cur)).toEqual({
      controlNumbers: [
        { requested: "49825032", current: "41868686" },
        { requested: "42943498", current: "42943498" },
        { requested: "100001000", current: "100000999" },
      ],
    });
    const many = await fetch(`${BIBS()}/current?oclcNumbers=1,2,3,4,5,6,7,8,9,10,11`, { headers: h });
    expect(many.status).toBe(400);
  });

  it("create assigns a new number (001, 035, 005) and counts the creation", async () => {
    const res = await post(BIBS(), NEW_RECORD);
    expect(res.status).toBe(201);
    const [rec] = parseMarcXmlString(await res.text());
    const ocn = rec.controlValue("001")!;
    expect(ocn).toMatch(/^on15\d{8}$/);
    expect(rec.controlValue("005")).toMatch(/^\d{14}\.\d$/);
    expect(JSON.stringify(rec.getFields("035"))).toContain(`(OCoLC)${ocn.slice(2)}`);
    const fp = sb.state.creations.at(-1)!.fingerprint;
    expect(sb.state.timesCreated(fp)).toBe(1);
    const read = await fetch(`${BIBS()}/${ocn}`, { headers: h });
    expect(read.status).toBe(200);
  });

  it("create takes MARC 21 too and answers in the request's format", async () => {
    const [rec] = parseMarcXmlString(NEW_RECORD);
    const res = await post(BIBS(), encodeIso2709(rec), "application/marc", { accept: "application/marc" });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toBe("application/marc");
  });

  it("406 for a content type the API does not take; 400 for a body that is not MARCXML", async () => {
    let res = await post(BIBS(), NEW_RECORD, "application/json");
    expect(res.status).toBe(406);
    expect(await json(res)).toMatchObject({
      type: "NOT_ACCEPTABLE",
      title: "Invalid 'Content-Type' header.",
    });
    res = await post(BIBS(), "<record><oops", MARCXML);
    expect(res.status).toBe(400);
  });

  it("create refuses an invalid record with validation errors", async () => {
    const res = await post(BIBS(), INVALID_RECORD);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body).toMatchObject({ httpStatus: "BAD_REQUEST", status: { summary: "INVALID" } });
    expect(body.errorCount).toBeGreaterThan(0);
    expect(JSON.stringify(body.variableFieldErrors)).toContain("245");
  });

  it("replace needs the current 005: fresh 005 works, stale 005 is a 409 conflict", async () => {
    const created = await (await post(BIBS(), NEW_RECORD)).text();
    const ocn = field001(created).replace(/\D/g, "").replace(/^0+/, "");
    const v1 = field005(created);
    const edited = created.replace("Original Record has one field.", "Edited once.");
    let res = await fetch(`${BIBS()}/${ocn}`, {
      method: "PUT",
      headers: { ...h, "content-type": MARCXML },
      body: edited,
    });
    expect(res.status).toBe(200);
    const after = await res.text();
    expect(after).toContain("Edited once.");
    expect(field005(after) > v1).toBe(true);
    res = await fetch(`${BIBS()}/${ocn}`, {
      method: "PUT",
      headers: { ...h, "content-type": MARCXML },
      body: edited,
    });
    expect(res.status).toBe(409);
    expect(await json(res)).toMatchObject({ type: "CONFLICT", detail: { summary: "CONFLICT" } });
  });

  it("replace of a synthetic record works with its 005; 001 must match the path", async () => {
    const xml = await (await fetch(`${BIBS()}/100000007`, { headers: h })).text();
    let res = await fetch(`${BIBS()}/100000008`, {
      method: "PUT",
      headers: { ...h, "content-type": MARCXML },
      body: xml,
    });
    expect(res.status).toBe(400);
    res = await fetch(`${BIBS()}/100000007`, {
      method: "PUT",
      headers: { ...h, "content-type": MARCXML },
      body: xml,
    });
    expect(res.status).toBe(200);
    expect(sb.state.bibs.records.has(100000007)).toBe(true);
  });

  it("validate endpoints: VALID, or errors in OCLC's shape", async () => {
    let res = await post(`${BIBS()}/validate/validateFull`, NEW_RECORD);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      httpStatus: "OK",
      status: { summary: "VALID", description: "The provided Bib is valid" },
    });
    res = await post(`${BIBS()}/validate/validateAdd`, INVALID_RECORD);
    expect(res.status).toBe(400);
    res = await post(`${BIBS()}/validate/validateReplace`, NEW_RECORD);
    expect(res.status).toBe(400);
    expect(JSON.stringify(await json(res))).toContain("001");
    res = await post(`${BIBS()}/validate/validateSomething`, NEW_RECORD);
    expect(res.status).toBe(404);
  });

  it("match finds a record by ISBN and returns brief records", async () => {
    const xml = NEW_RECORD.replace(
      '<datafield tag="040"',
      '<datafield tag="020" ind1=" " ind2=" "><subfield code="a">0060933259</subfield></datafield><datafield tag="040"',
    );
    const res = await post(`${BIBS()}/match`, xml);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.numberOfRecords).toBe(1);
    expect(body.briefRecords[0]).toMatchObject({ oclcNumber: "42943498", generalFormat: "Book" });
  });
});

describe("first API bibs (/bib/data)", () => {
  const ts = () => Math.floor(Date.now() / 1000);
  const signed = (method: string, url: string, type?: string) => ({
    authorization: hmac(sb.accounts[0], method, url, { timestamp: ts() }),
    ...(type ? { "content-type": type } : {}),
  });

  it("reads as an Atom entry with id and link", async () => {
    const url = `${sb.url}/bib/data/823520553?classificationScheme=LibraryOfCongress&holdingLibraryCode=MAIN`;
    let res = await fetch(url, { headers: signed("GET", url) });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("<oclc:error>");
    const ok = `${sb.url}/bib/data/42943498?classificationScheme=LibraryOfCongress`;
    res = await fetch(ok, { headers: signed("GET", ok) });
    const text = await res.text();
    expect(text).toContain(
      '<response xmlns="http://worldcat.org/rb" mimeType="application/vnd.oclc.marc21+xml">',
    );
    expect(text).toContain("<id>http://worldcat.org/oclc/42943498</id>");
    expect(text).toContain('<link href="http://worldcat.org/oclc/42943498"></link>');
  });

  it("creates (201 entry with the new number) and updates with bare 001 and the current 005", async () => {
    const url = `${sb.url}/bib/data?classificationScheme=LibraryOfCongress&holdingLibraryCode=MAIN`;
    let res = await fetch(url, { method: "POST", headers: signed("POST", url, V1_XML), body: NEW_RECORD });
    expect(res.status).toBe(201);
    const entry = await res.text();
    const ocn = /<id>http:\/\/worldcat.org\/oclc\/(\d+)<\/id>/.exec(entry)![1];
    const record = /<record [\s\S]*<\/record>/.exec(entry)![0];
    const prefixed = record.replace(/<controlfield tag="001">[^<]+</, `<controlfield tag="001">on${ocn}<`);
    res = await fetch(url, { method: "PUT", headers: signed("PUT", url, V1_XML), body: prefixed });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("CAT-VALIDATION");
    const bare = record.replace(/<controlfield tag="001">[^<]+</, `<controlfield tag="001">${ocn}<`);
    res = await fetch(url, { method: "PUT", headers: signed("PUT", url, V1_XML), body: bare });
    expect(res.status).toBe(200);
    res = await fetch(url, { method: "PUT", headers: signed("PUT", url, V1_XML), body: bare });
    expect(res.status).toBe(409);
  });

  it("validate errors come as XML validationErrors", async () => {
    const url = `${sb.url}/bib/validateFull`;
    const res = await fetch(url, {
      method: "POST",
      headers: signed("POST", url, V1_XML),
      body: INVALID_RECORD,
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('<error xmlns="http://worldcat.org/xmlschemas/response">');
    expect(text).toMatch(
      /<validationError type="variable field"><field name="245" occurrence="\d+"\/><message>/,
    );
    const ok = await fetch(url, {
      method: "POST",
      headers: signed("POST", url, V1_XML),
      body: fixture("new-record.xml"),
    });
    expect(ok.status).toBe(200);
  });
});
