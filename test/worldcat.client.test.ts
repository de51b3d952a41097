import { afterEach, describe, expect, it } from "vitest";
import { parseMarcXmlString, recordToMarcXml } from "../src/marc/marcxml-string.js";
import { controlField, createRecord, dataField } from "../src/marc/record.js";
import { parseAccount } from "../src/worldcat/accounts.js";
import { createWorldCatClient, type WorldCatClient } from "../src/worldcat/client.js";
import { OutcomeUnknownError, WorldCatError } from "../src/worldcat/errors.js";
import { type SeenRequest, startTestServer } from "./fixtures/worldcat/server.js";

const record = createRecord({
  fields: [
    controlField("001", "ocm00012345"),
    controlField("005", "20240101120000.0"),
    dataField("245", "1", "0", [["a", "A title /"]]),
  ],
});
const xml = recordToMarcXml(record);
const atom = `<?xml version="1.0"?><entry xmlns="http://www.w3.org/2005/Atom"><content type="application/xml"><response xmlns="http://worldcat.org/rb" mimeType="application/vnd.oclc.marc21+xml">${xml}</response></content><id>http://worldcat.org/oclc/12345</id></entry>`;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

type Route = (req: SeenRequest) => { status?: number; body?: string; headers?: Record<string, string> };

async function setup(route: Route, auth: "token" | "hmac" = "token") {
  const server = await startTestServer((req) => {
    if (req.url.startsWith("/token") || req.url.startsWith("/oauth2/accessToken"))
      return { body: JSON.stringify({ access_token: "tk_client_test_token", expires_in: 1199 }) };
    return route(req);
  });
  const account = await parseAccount(
    "sb",
    { auth, key: "k", secret: "env:S", registryId: "128807", symbol: "OCPSB", sandboxUrl: server.url },
    { S: "client-secret" },
  );
  const client: WorldCatClient = createWorldCatClient(account, {
    sleep: async () => {},
    holdingLibraryCode: "MAIN",
  });
  cleanups.push(
    () => client.close(),
    () => server.close(),
  );
  const api = () =>
    server.requests.filter((r) => !r.url.startsWith("/token") && !r.url.startsWith("/oauth2"));
  return { server, client, api };
}

describe("Metadata API 2.0 client", () => {
  it("reads, creates and replaces records as MARCXML with a bearer token", async () => {
    const { client, api } = await setup((req) => ({
      status: req.method === "POST" ? 201 : 200,
      headers: { "content-type": "application/marcxml+xml" },
      body: xml,
    }));
    expect(client.label).toBe("sb [SANDBOX]");
    expect((await client.bibs.read("(OCoLC)ocm00012345")).title()).toBe("A title /");
    await client.bibs.create(record);
    await client.bibs.replace(record);
    const [get, post, put] = api();
    expect([get.method, get.url]).toEqual(["GET", "/worldcat/manage/bibs/12345"]);
    expect(get.headers.authorization).toBe("Bearer tk_client_test_token");
    expect(get.headers.accept).toBe("application/marcxml+xml");
    expect([post.method, post.url, post.headers["content-type"]]).toEqual([
      "POST",
      "/worldcat/manage/bibs",
      "application/marcxml+xml",
    ]);
    expect(parseMarcXmlString(post.body)[0].equals(record)).toBe(true);
    expect([put.method, put.url]).toEqual(["PUT", "/worldcat/manage/bibs/12345"]);
  });

  it("turns a stale-005 conflict into a WorldCatError with code CONFLICT", async () => {
    const { client } = await setup(() => ({
      status: 409,
      body: '{"type":"CONFLICT","title":"Conflict","detail":"005 is not current"}',
    }));
    const err = await client.bibs.replace(record).catch((e) => e);
    expect(err).toBeInstanceOf(WorldCatError);
    expect([err.status, err.oclcCode]).toEqual([409, "CONFLICT"]);
  });

  it("reports validation as a result, valid or not", async () => {
    let n = 0;
    const { client, api } = await setup(() =>
      ++n === 1
        ? {
            body: '{"httpStatus":"OK","status":{"summary":"VALID","description":"The provided Bib is valid"}}',
          }
        : {
            status: 400,
            body: '{"httpStatus":"BAD_REQUEST","status":{"summary":"NOT_VALID","description":"invalid"},"variableFieldErrors":[{"tag":"245","occurrence":1,"message":"$a missing"}]}',
          },
    );
    expect(await client.bibs.validate(record)).toMatchObject({ valid: true, summary: "VALID" });
    const bad = await client.bibs.validate(record, "validateReplace");
    expect(bad).toMatchObject({
      valid: false,
      summary: "NOT_VALID",
      errors: [{ field: "245", occurrence: 1, message: "$a missing" }],
    });
    expect(api().map((r) => r.url)).toEqual([
      "/worldcat/manage/bibs/validate/validateFull",
      "/worldcat/manage/bibs/validate/validateReplace",
    ]);
  });

  it("asks for current numbers and holdings 10 at a time", async () => {
    const { client, api } = await setup((req) => {
      const nums = new URL(req.url, "http://x").searchParams.get("oclcNumbers")?.split(",") ?? [];
      return req.url.includes("/holdings/")
        ? {
            body: JSON.stringify({
              holdings: nums.map((n) => ({
                requestedControlNumber: n,
                currentControlNumber: n,
                institutionSymbol: "OCPSB",
                holdingSet: true,
              })),
            }),
          }
        : { body: JSON.stringify({ controlNumbers: nums.map((n) => ({ requested: n, current: n })) }) };
    });
    const nums = Array.from({ length: 23 }, (_, i) => `ocm${String(i + 1).padStart(8, "0")}`);
    expect((await client.bibs.current(nums)).map((c) => c.current)).toEqual(
      nums.map((_, i) => String(i + 1)),
    );
    expect(await client.holdings.current(nums)).toHaveLength(23);
    expect(api().map((r) => r.url.split("?")[0])).toEqual([
      ...Array(3).fill("/worldcat/manage/bibs/current"),
      ...Array(3).fill("/worldcat/manage/institution/holdings/current"),
    ]);
  });

  it("sets and unsets holdings, by number and by record; lists codes; searches", async () => {
    const { client, api } = await setup((req) => {
      if (req.url.includes("holding-codes"))
        return { body: '{"holdingLibraryCodes":[{"code":"MAIN","name":"Main"}]}' };
      if (req.url.includes("brief-bibs/12345")) return { body: '{"oclcNumber":"12345","title":"A title"}' };
      if (req.url.includes("brief-bibs"))
        return { body: '{"numberOfRecords":1,"briefRecords":[{"oclcNumber":"12345"}]}' };
      return {
        body: '{"controlNumber":"12345","requestedControlNumber":"12345","success":true,"action":"Set Holdings"}',
      };
    });
    expect((await client.holdings.set(12345)).success).toBe(true);
    await client.holdings.unset("12345", { cascadeDelete: false });
    await client.holdings.setForRecord(record);
    await client.holdings.unsetForRecord(record);
    expect(await client.holdings.codes()).toEqual([{ code: "MAIN", name: "Main" }]);
    expect((await client.search.briefBibs({ q: "ti:a title", limit: 500 })).numberOfRecords).toBe(1);
    expect((await client.search.briefBib("ocm00012345")).title).toBe("A title");
    expect(api().map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /worldcat/manage/institution/holdings/12345/set",
      "POST /worldcat/manage/institution/holdings/12345/unset?cascadeDelete=false",
      "POST /worldcat/manage/institution/holdings/set",
      "POST /worldcat/manage/institution/holdings/unset?cascadeDelete=true",
      "GET /worldcat/manage/institution/holding-codes",
      "GET /worldcat/search/brief-bibs?q=ti%3Aa%20title&limit=50",
      "GET /worldcat/search/brief-bibs/12345",
    ]);
  });

  it("creates, reads, replaces and deletes local bib data", async () => {
    const { client, api } = await setup((req) => ({ status: req.method === "POST" ? 201 : 200, body: xml }));
    await client.lbds.create(record);
    await client.lbds.read(77);
    await client.lbds.replace("77", record);
    await client.lbds.delete(77);
    expect(api().map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /worldcat/manage/lbds",
      "GET /worldcat/manage/lbds/77",
      "PUT /worldcat/manage/lbds/77",
      "DELETE /worldcat/manage/lbds/77",
    ]);
  });

  it("reports a create that times out as outcome unknown and never sends it twice", async () => {
    const server = await startTestServer((req) =>
      req.url.startsWith("/token")
        ? { body: '{"access_token":"tk_abcdef","expires_in":1199}' }
        : { hang: true },
    );
    const account = await parseAccount(
      "sb",
      { key: "k", secret: "env:S", sandboxUrl: server.url },
      { S: "client-secret" },
    );
    const client = createWorldCatClient(account, { timeouts: { readMs: 500 }, sleep: async () => {} });
    cleanups.push(
      () => client.close(),
      () => server.close(),
    );
    await expect(client.bibs.create(record)).rejects.toBeInstanceOf(OutcomeUnknownError);
    await expect(client.first.bibs.create(record)).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(server.requests.filter((r) => r.method === "POST" && !r.url.startsWith("/token"))).toHaveLength(2);
  });
});

describe("local bibliographic data creates are never blindly retried (issue 15)", () => {
  const lbdPosts = (requests: readonly SeenRequest[]) =>
    requests.filter((r) => r.method === "POST" && /\/(manage\/lbds|lbd\/data)/.test(r.url));

  it("a 2.0 and a first-API LBD create that time out are outcome unknown, each sent once", async () => {
    const server = await startTestServer((req) =>
      req.url.startsWith("/token")
        ? { body: '{"access_token":"tk_abcdef","expires_in":1199}' }
        : { hang: true },
    );
    const account = await parseAccount(
      "sb",
      { key: "k", secret: "env:S", registryId: "128807", symbol: "OCPSB", sandboxUrl: server.url },
      { S: "client-secret" },
    );
    const client = createWorldCatClient(account, { timeouts: { readMs: 500 }, sleep: async () => {} });
    cleanups.push(
      () => client.close(),
      () => server.close(),
    );
    const twenty = await client.lbds.create(record).catch((e) => e);
    expect(twenty).toBeInstanceOf(OutcomeUnknownError);
    expect(lbdPosts(server.requests)).toHaveLength(1);
    const first = await client.first.lbds.create(record).catch((e) => e);
    expect(first).toBeInstanceOf(OutcomeUnknownError);
    expect(lbdPosts(server.requests)).toHaveLength(2);
  });

  it("a 2.0 and a first-API LBD create answered 503 are outcome unknown, each sent once", async () => {
    const { client, server } = await setup(() => ({
      status: 503,
      headers: { "retry-after": "0" },
      body: "busy",
    }));
    const twenty = await client.lbds.create(record).catch((e) => e);
    expect(twenty).toBeInstanceOf(OutcomeUnknownError);
    expect(twenty.status).toBe(503);
    expect(lbdPosts(server.requests).map((r) => r.url.split("?")[0])).toEqual(["/worldcat/manage/lbds"]);
    const first = await client.first.lbds.create(record).catch((e) => e);
    expect(first).toBeInstanceOf(OutcomeUnknownError);
    expect(lbdPosts(server.requests).map((r) => r.url.split("?")[0])).toEqual([
      "/worldcat/manage/lbds",
      "/lbd/data",
    ]);
  });
});

describe("first API client", () => {
  it("reads a record out of the Atom entry and sends the usual query", async () => {
    const { client, api } = await setup(() => ({
      headers: { "content-type": "application/atom+xml" },
      body: atom,
    }));
    expect((await client.first.bibs.read("ocm00012345")).controlValue("001")).toBe("ocm00012345");
    await client.first.bibs.create(record);
    await client.first.bibs.update(record);
    const [get, post, put] = api();
    expect(get.url).toBe(
      "/bib/data/12345?classificationScheme=LibraryOfCongress&holdingLibraryCode=MAIN&inst=128807",
    );
    expect([post.method, post.url.split("?")[0], post.headers["content-type"]]).toEqual([
      "POST",
      "/bib/data",
      "application/vnd.oclc.marc21+xml",
    ]);
    expect([put.method, put.url.split("?")[0]]).toEqual(["PUT", "/bib/data"]);
  });

  it("turns an Atom oclc:error into a WorldCatError", async () => {
    const { client } = await setup(() => ({
      status: 400,
      body: '<entry xmlns="http://www.w3.org/2005/Atom" xmlns:oclc="http://worldcat.org/xmlschemas/response"><oclc:error><oclc:code type="application">CAT-OTHER</oclc:code><oclc:message>New record required</oclc:message></oclc:error></entry>',
    }));
    const err = await client.first.bibs.create(record).catch((e) => e);
    expect([err.status, err.oclcCode, err.detail]).toEqual([400, "CAT-OTHER", "New record required"]);
  });

  it("sets and unsets holdings; 409 WS-409 is a typed error", async () => {
    let n = 0;
    const { client, api } = await setup(() =>
      ++n === 2
        ? {
            status: 409,
            body: '<error xmlns="http://worldcat.org/xmlschemas/response"><code type="application">WS-409</code><message>Trying to set hold while holding already exists</message></error>',
          }
        : { body: "" },
    );
    await client.first.holdings.set(12345);
    const err = await client.first.holdings.set(12345).catch((e) => e);
    expect([err.status, err.oclcCode]).toEqual([409, "WS-409"]);
    await client.first.holdings.unset(12345, { cascade: false });
    expect(api().map((r) => `${r.method} ${r.url}`)[2]).toBe(
      "DELETE /ih/data?oclcNumber=12345&cascade=0&classificationScheme=LibraryOfCongress&holdingLibraryCode=MAIN&inst=128807",
    );
  });

  it("lists holding library codes from XML", async () => {
    const { client, api } = await setup(() => ({
      body: '<holdingLibraries><holdingLibrary><code>MAIN</code><name>Main</name></holdingLibrary><holdingLibrary code="SPEC"/></holdingLibraries>',
    }));
    expect(await client.first.holdings.libraries()).toEqual([
      { code: "MAIN", name: "Main" },
      { code: "SPEC" },
    ]);
    expect(api()[0].url).toBe("/bib/holdinglibraries?instSymbol=OCPSB&inst=128807");
  });

  it("signs every first-API request with a fresh HMAC for auth: hmac accounts", async () => {
    const { client, api, server } = await setup(() => ({ body: atom }), "hmac");
    await client.first.bibs.read(1);
    await client.first.bibs.read(1);
    const [a, b] = api().map((r) => String(r.headers.authorization));
    expect(a.startsWith('http://www.worldcat.org/wskey/v2/hmac/v1 clientId="k"')).toBe(true);
    expect(/nonce="([^"]+)"/.exec(a)?.[1]).not.toBe(/nonce="([^"]+)"/.exec(b)?.[1]);
    // Metadata API 2.0 calls of an hmac account use a token from the legacy flow.
    await client.bibs.read(1).catch(() => undefined);
    expect(server.requests.some((r) => r.url.startsWith("/oauth2/accessToken"))).toBe(true);
  });
});
