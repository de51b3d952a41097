/**
 * Every Metadata API 2.0 path of reference section 2b: the client against the sandbox over loopback HTTP,
 * and the sandbox's raw answers checked field by field against what the live service sends.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildHoldingsRecord } from "../src/marc/holdings.js";
import { controlField, dataField } from "../src/marc/record.js";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";
import { createWorldCatClient, type WorldCatClient } from "../src/worldcat/client.js";
import type { WorldCatError } from "../src/worldcat/errors.js";
import { probeAccount } from "../src/worldcat/probe.js";
import { bearer, json, lbdXml, MARCXML } from "./fixtures/sandbox/harness.js";
import { sandboxAccount } from "./fixtures/worldcat/sandbox-account.js";

let sb: Sandbox;
let wc: WorldCatClient;
let h: Record<string, string>;
const clients: WorldCatClient[] = [];
const W = () => `${sb.url}/worldcat`;

async function client(index = 0, extra: Record<string, unknown> = {}) {
  const c = createWorldCatClient(await sandboxAccount(sb, { index, name: `acct-${index}`, extra }));
  clients.push(c);
  return c;
}

beforeAll(async () => {
  sb = await startSandbox({ seed: 100, rngSeed: 5, moveDelayMs: 60_000 });
  wc = await client(0);
  h = await bearer(sb);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await sb.close();
});

const get = (path: string) => fetch(`${W()}${path}`, { headers: h });
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a WorldCatError");
    },
    (e: unknown) => e as WorldCatError,
  );

describe("search: full record, brief records, other editions, classification, institutions", () => {
  it("GET /search/bibs/{ocn}: the full record as JSON with the live top-level keys", async () => {
    const bib = await wc.search.bib(1200000007);
    expect(Object.keys(bib).sort()).toEqual(
      [
        "identifier",
        "title",
        "contributor",
        "subjects",
        "classification",
        "publishers",
        "date",
        "language",
        "edition",
        "note",
        "format",
        "description",
        "related",
        "work",
        "editionCluster",
        "database",
        "digitalAccessAndLocations",
        "isOpenAccess",
      ].sort(),
    );
    expect(bib.identifier.oclcNumber).toBe("1200000007");
    expect((bib.title as { mainTitles: { text: string }[] }).mainTitles[0].text).toMatch(
      /^Pride and prejudice/,
    );
    expect(bib.isOpenAccess).toBe(false);
    const res = await get("/search/bibs/1200000007");
    expect(res.headers.get("content-type")).toBe("application/json;charset=UTF-8");
  });

  it("brief records leave out keys without a value; one brief record has no numberOfRecords", async () => {
    const res = await get("/search/brief-bibs/100000001");
    const b = await json(res);
    expect(b.numberOfRecords).toBeUndefined();
    expect(b.oclcNumber).toBe("100000001");
    expect(b).not.toHaveProperty("issns"); // a synthetic book has ISBNs only
    expect(b.isbns).toHaveLength(1);
    for (const [k, v] of Object.entries(b)) {
      expect(v, k).not.toEqual("");
      expect(v, k).not.toEqual([]);
    }
    const search = await json(await get("/search/brief-bibs?q=ti:Pride%20and%20prejudice&limit=50"));
    const keySets = new Set(search.briefRecords.map((r: object) => Object.keys(r).sort().join(",")));
    expect(keySets.size).toBeGreaterThan(1); // the set of keys varies record by record
  });

  it("other editions: same title and creator, the record itself left out", async () => {
    const r = await wc.search.otherEditions(1200000007, { limit: 50 });
    const numbers = r.briefRecords.map((b) => b.oclcNumber);
    expect(numbers).not.toContain("1200000007");
    expect(numbers.length).toBeGreaterThan(0);
    expect(r.numberOfRecords).toBeGreaterThanOrEqual(numbers.length);
    for (const b of r.briefRecords) expect(String(b.title).toLowerCase()).toBe("pride and prejudice");
  });

  it("classification: dewey and lc mostPopular, application/json;charset=UTF-8", async () => {
    const c = await wc.search.classification(1200000007);
    expect(c.dewey?.mostPopular.length).toBeGreaterThan(0);
    expect(c.lc?.mostPopular.length).toBeGreaterThan(0);
    const res = await get("/search/classification-bibs/1200000007");
    expect(res.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(await json(await get("/search/classification-bibs/100000001"))).toEqual({});
  });

  it("institution identifiers: registryId is a number; one of registryIds or oclcSymbols", async () => {
    expect(await wc.search.institutions({ registryIds: [128807, "58210"] })).toEqual([
      { oclcSymbols: ["OCPSB"], registryId: 128807 },
      { oclcSymbols: ["RDONL"], registryId: 58210 },
    ]);
    expect(await wc.search.institutions({ oclcSymbols: ["nshft"] })).toEqual([
      { oclcSymbols: ["NSHFT"], registryId: 91475 },
    ]);
    const both = await json(await get("/search/institution?registryIds=1&oclcSymbols=A"));
    expect(both.type).toBe("INVALID_QUERY_PARAMETER_VALUE");
    expect(typeof both.detail).toBe("string");
    expect(both["invalid-params"][0].reason).toMatch(/registryIds/);
  });
});

describe("the live service's quirks", () => {
  it("booleans in any case: cascadeDelete=True works as true", async () => {
    await wc.holdings.set(100000031);
    const res = await fetch(`${W()}/manage/institution/holdings/100000031/unset?cascadeDelete=True`, {
      method: "POST",
      headers: h,
    });
    expect(res.status).toBe(200);
    expect((await json(res)).action).toBe("Unset Holdings");
    const bad = await fetch(`${W()}/manage/institution/holdings/100000031/unset?cascadeDelete=yes`, {
      method: "POST",
      headers: h,
    });
    expect(bad.status).toBe(400);
  });

  it("content types: match and validate application/json, read MARCXML with charset", async () => {
    const xml = await (await fetch(`${W()}/manage/bibs/100000001`, { headers: h })).text();
    const read = await fetch(`${W()}/manage/bibs/100000001`, { headers: h });
    expect(read.headers.get("content-type")).toBe("application/marcxml+xml;charset=UTF-8");
    const post = (path: string) =>
      fetch(`${W()}${path}`, { method: "POST", headers: { ...h, "content-type": MARCXML }, body: xml });
    expect((await post("/manage/bibs/match")).headers.get("content-type")).toBe("application/json");
    expect((await post("/manage/bibs/validate/validateFull")).headers.get("content-type")).toBe(
      "application/json",
    );
    const current = await get("/manage/bibs/current?oclcNumbers=100000001");
    expect(current.headers.get("content-type")).toBe("application/json;charset=UTF-8");
  });

  it("holding-codes: description in code, the code in name; the client puts them right", async () => {
    const raw = await json(await get("/manage/institution/holding-codes"));
    expect(raw.holdingLibraryCodes).toEqual([
      { code: "Main Library", name: "MAIN" },
      { code: "Oregon Annex", name: "OREA" },
    ]);
    expect(await wc.holdings.codes()).toEqual([
      { code: "MAIN", name: "Main Library" },
      { code: "OREA", name: "Oregon Annex" },
    ]);
  });

  it("error shapes: 406 and 400 with a string detail, 404 with an object", async () => {
    const r406 = await fetch(`${W()}/manage/lhrs`, {
      method: "POST",
      headers: { ...h, "content-type": "text/plain" },
      body: "x",
    });
    expect(r406.status).toBe(406);
    const b406 = await json(r406);
    expect(b406.type).toBe("NOT_ACCEPTABLE");
    expect(b406.title).toBe("Invalid 'Content-Type' header.");
    expect(typeof b406.detail).toBe("string");
    const b404 = await json(await get("/search/bibs/999999999"));
    expect(b404).toMatchObject({ type: "NOT_FOUND", detail: { summary: "NOT_FOUND" } });
    expect(typeof b404.detail.description).toBe("string");
  });

  it("branch and shelving locations: application/json, id a string, includeShelvingLocations in any case", async () => {
    const res = await get(
      "/manage/institution-config/branch-shelving-locations?includeShelvingLocations=TRUE",
    );
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = await json(res);
    expect(body.id).toBe("128807");
    expect(body.hasProblems).toBe(false);
    const viaClient = await wc.holdings.branchShelvingLocations({ includeShelvingLocations: true });
    expect(viaClient.branches).toEqual([
      {
        branchName: "Main Library",
        holdingLocation: "MAIN",
        shelvingLocations: [{ name: "Stacks" }, { name: "Reference" }],
      },
      { branchName: "Oregon Annex", holdingLocation: "OREA", shelvingLocations: [{ name: "Annex Stacks" }] },
    ]);
    const without = await wc.holdings.branchShelvingLocations();
    expect(without.branches[0]).not.toHaveProperty("shelvingLocations");
  });
});

describe("local holdings records and the holdings views", () => {
  const ocn = "100000040"; // even synthetic: held at start

  it("an LHR exists only on a held record; create, read, replace, delete", async () => {
    const notHeld = await errorOf(
      wc.lhrs.create(buildHoldingsRecord({ oclcNumber: "100000041", holdingLocation: "MAIN" })),
    );
    expect(notHeld.status).toBe(409);
    const created = await wc.lhrs.create(
      buildHoldingsRecord({
        oclcNumber: ocn,
        holdingLocation: "MAIN",
        shelvingLocation: "Stacks",
        callNumber: "PR4034 .P7 1990",
        barcode: "39000000001",
        sharedPrint: "until 20351231 EAST",
      }),
    );
    const id = created.controlValue("001") as string;
    expect(created.controlValue("004")).toBe(ocn);
    expect(created.leader[6]).toBe("x");
    const f852 = created.get("852");
    expect(f852?.kind === "data" && f852.subfields.map((s) => [s.code, s.value])).toEqual([
      ["a", "OCPSB"],
      ["b", "MAIN"],
      ["c", "Stacks"],
      ["h", "PR4034 .P7 1990"],
    ]);
    const read = await wc.lhrs.read(id);
    expect(read.equals(created)).toBe(true);
    const stale = await errorOf(wc.lhrs.replace(id, created.removeFields("005")));
    expect(stale.status).toBe(409);
    const replaced = await wc.lhrs.replace(
      id,
      created.addField(dataField("876", " ", " ", [["p", "39000000002"]])),
    );
    expect(replaced.getFields("876")).toHaveLength(2);

    const page = await wc.lhrs.search({ oclcNumber: ocn });
    expect(page.numberOfHoldings).toBe(1);
    const d = page.detailedHoldings[0];
    expect(d).toMatchObject({
      lhrControlNumber: id,
      oclcNumber: ocn,
      institutionSymbol: "OCPSB",
      format: "single-part",
      location: { holdingLocation: "MAIN", sublocationCollection: "Stacks" },
      callNumber: { displayCallNumber: "PR4034 .P7 1990" },
      hasSharedPrintCommitment: true,
      holdingParts: [{ pieceDesignation: "39000000001" }, { pieceDesignation: "39000000002" }],
    });
    expect(d.sharedPrintCommitments?.[0]).toMatchObject({
      committedToRetain: true,
      commitmentExpirationDate: "20351231",
      program: "EAST",
    });
    expect(await wc.lhrs.detail(id)).toEqual(d);
    expect((await wc.lhrs.search({ barcode: "39000000002" })).detailedHoldings[0].lhrControlNumber).toBe(id);
    const retained = await wc.lhrs.retained({ oclcNumber: ocn });
    expect(retained.detailedHoldings.map((x) => x.lhrControlNumber)).toEqual([id]);
    const browse = await wc.lhrs.browse({
      callNumber: "PR",
      holdingLocation: "MAIN",
      shelvingLocation: "Stacks",
    });
    expect(browse.detailedHoldings.map((x) => x.lhrControlNumber)).toEqual([id]);

    const everyone = await wc.search.bibsRetainedHoldings({ oclcNumber: ocn });
    expect(everyone.briefRecords[0].institutionHolding?.totalHoldingCount).toBe(1);
    const summary = await wc.search.summaryHoldings({ oclcNumber: ocn });
    expect(summary.totalSharedPrintCount).toBe(1);

    const deleted = await wc.lhrs.delete(id);
    expect(deleted?.controlValue("001")).toBe(id);
    expect((await errorOf(wc.lhrs.read(id))).status).toBe(404);
  });

  it("an invalid holdings record is refused with what is wrong", async () => {
    const bad = buildHoldingsRecord({ oclcNumber: ocn, holdingLocation: "MAIN" })
      .withLeader("00000nam a2200000 a 4500")
      .removeFields("852");
    const err = await errorOf(wc.lhrs.create(bad));
    expect(err.status).toBe(400);
    expect(err.validationErrors.map((v) => v.message).join(" ")).toMatch(/Leader\/06|852/);
  });

  it("unset without cascade is refused while LHRs are attached; with cascade they go", async () => {
    const lhr = await wc.lhrs.create(
      buildHoldingsRecord({ oclcNumber: "100000042", holdingLocation: "MAIN" }),
    );
    const refused = await errorOf(wc.holdings.unset(100000042, { cascadeDelete: false }));
    expect(refused.status).toBe(409);
    await wc.holdings.unset(100000042, { cascadeDelete: true });
    expect((await errorOf(wc.lhrs.read(lhr.controlValue("001") as string))).status).toBe(404);
  });

  it("summary counts reflect the holdings of the sandbox's institutions, by place", async () => {
    // 100000044 is even: every institution holds it at start; unset ours and the count drops by one
    const before = await wc.search.summaryHoldings({ oclcNumber: 100000044 });
    expect(before.totalHoldingCount).toBe(3);
    expect(before.holdingsByCountry).toEqual([
      { country: "GB", holdingCount: 1 },
      { country: "US", holdingCount: 2 },
    ]);
    await wc.holdings.unset(100000044);
    const after = await wc.search.summaryHoldings({ oclcNumber: 100000044 });
    expect(after.totalHoldingCount).toBe(2);
    expect(after.holdingsByInstitution?.map((i) => i.oclcSymbol)).toEqual(["NSHFT", "RDONL"]);
    const byIsbn = await wc.search.bibsSummaryHoldings({
      isbn: `${(await wc.search.briefBib(100000044)).isbns?.[0]}`,
    });
    expect(byIsbn.briefRecords[0].oclcNumber).toBe("100000044");
    expect(byIsbn.briefRecords[0].institutionHolding?.totalHoldingCount).toBe(2);
  });
});

describe("local bib data search and holdings move", () => {
  it("my-local-bib-data: search by number or local id, read one", async () => {
    const res = await fetch(`${W()}/manage/lbds`, {
      method: "POST",
      headers: { ...h, "content-type": MARCXML },
      body: lbdXml(100000050, "local-50", "OCPSB"),
    });
    expect(res.status).toBe(201);
    const found = await wc.lbds.search({ q: "no:100000050" });
    expect(found.numberOfRecords).toBe(1);
    const e = found.localBibData[0];
    expect(e).toMatchObject({
      oclcNumber: "100000050",
      localIdentifier: "local-50",
      institutionSymbol: "OCPSB",
    });
    expect((await wc.lbds.search({ q: "id:local-50" })).localBibData[0].controlNumber).toBe(e.controlNumber);
    expect(await wc.lbds.detail(e.controlNumber)).toEqual(e);
  });

  it("move: 409 without LBD or LHRs; accepted, carried out later with LBD and LHRs", async () => {
    const none = await errorOf(wc.holdings.move(100000052, 100000053));
    expect(none.status).toBe(409);
    expect(none.oclcCode).toBe("CONFLICT");
    const lhr = await wc.lhrs.create(
      buildHoldingsRecord({ oclcNumber: "100000052", holdingLocation: "MAIN" }),
    );
    const accepted = await wc.holdings.move(100000052, 100000053);
    expect(accepted).toMatchObject({
      sourceOclcNumber: "100000052",
      targetOclcNumber: "100000053",
      success: true,
    });
    // asynchronous: nothing has moved yet
    let cur = await wc.holdings.current([100000052, 100000053]);
    expect(cur.map((c) => c.holdingSet)).toEqual([true, false]);
    sb.advanceClock(61);
    cur = await wc.holdings.current([100000052, 100000053]);
    expect(cur.map((c) => c.holdingSet)).toEqual([false, true]);
    const moved = await wc.lhrs.read(lhr.controlValue("001") as string);
    expect(moved.controlValue("004")).toBe("100000053");
  });
});

describe("acting for another institution: context:<registryId>", () => {
  it("the token scope carries context:<id>; the calls act as that institution", async () => {
    const member = await client(0, { context: "91475" });
    expect(member.label).toBe("acct-0 [SANDBOX] (context 91475)");
    const token = await member.token();
    expect(token.contextInstitutionId).toBe("91475");
    const r = await member.holdings.set(100000061);
    expect(r.institutionSymbol).toBe("NSHFT");
    expect((await wc.holdings.current([100000061]))[0].holdingSet).toBe(false);
    const refused = await client(1, { context: "128807" });
    expect((await errorOf(refused.token())).status).toBe(403);
  });
});

describe("worldcat check", () => {
  it("probes the new operations", async () => {
    const report = await probeAccount(wc);
    const verdict = (op: string) => report.results.find((r) => r.operation === op)?.verdict;
    for (const op of [
      "full record as JSON",
      "other editions",
      "classification",
      "institution identifiers",
      "move holdings",
      "branch and shelving locations",
      "search local bib data",
      "read local holdings records",
      "search my holdings",
      "browse my holdings",
      "retained holdings",
      "summary holdings",
      "shared-print holdings of a record",
    ])
      expect(verdict(op), op).toBe("yes");
    const limited = await probeAccount(await client(2));
    expect(limited.results.find((r) => r.operation === "read local holdings records")?.verdict).toBe("no");
  });
});

void controlField;
