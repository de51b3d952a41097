import { afterEach, describe, expect, it } from "vitest";
import { createOaiClient } from "../src/oai/client.js";
import { OaiError, OaiHttpError, OaiProtocolError } from "../src/oai/errors.js";
import { chooseFormat, toItem } from "../src/oai/formats/index.js";
import { createHarvester, type HarvestedRecord } from "../src/oai/harvester.js";
import { type Answer, type FixtureRepository, fixtureRepository } from "./fixtures/oai/server.js";

let repo: FixtureRepository | undefined;
afterEach(async () => {
  await repo?.close();
  repo = undefined;
});

async function harvesterFor(route: (q: URLSearchParams, n: number) => Answer) {
  repo = await fixtureRepository(route);
  const waits: number[] = [];
  const client = createOaiClient({
    baseUrl: repo.url,
    maxAttempts: 3,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { h: createHarvester(client), waits, requests: repo.requests };
}

async function all(list: AsyncIterable<HarvestedRecord>) {
  const out: HarvestedRecord[] = [];
  for await (const r of list) out.push(r);
  return out;
}

describe("DSpace 7/8", () => {
  it("Identify with seconds granularity; from/until are sent as full times", async () => {
    const { h, requests } = await harvesterFor((q) =>
      q.get("verb") === "Identify"
        ? "dspace7-identify.xml"
        : q.get("resumptionToken")
          ? "dspace7-oai_dc-page2.xml"
          : "dspace7-oai_dc-page1.xml",
    );
    const id = await h.identify();
    expect(id).toMatchObject({ granularity: "YYYY-MM-DDThh:mm:ssZ", deletedRecord: "transient" });
    const list = h.listRecords(
      { metadataPrefix: "oai_dc", set: "col_1234_77", from: "2026-11-01", until: "2026-11-30" },
      id.granularity,
    );
    const records = await all(list.records());
    expect(Object.fromEntries(requests[1])).toEqual({
      verb: "ListRecords",
      metadataPrefix: "oai_dc",
      set: "col_1234_77",
      from: "2026-11-01T00:00:00Z",
      until: "2026-11-30T23:59:59Z",
    });
    // The token is an exclusive argument.
    expect(Object.fromEntries(requests[2])).toEqual({
      verb: "ListRecords",
      resumptionToken: "oai_dc/2026-11-01T00:00:00Z//col_1234_77/100",
    });
    expect(records.map((r) => [r.identifier, r.datestamp, r.deleted])).toEqual([
      ["oai:repository.example.edu:1234/5678", "2026-11-03T08:12:55Z", false],
      ["oai:repository.example.edu:1234/5690", "2026-11-05T13:01:09Z", false],
      ["oai:repository.example.edu:1234/4001", "2026-11-20T09:00:00Z", true],
    ]);
    expect(records[0].sets).toEqual(["com_1234_1", "col_1234_77"]);
    expect(list.responseDate).toBe("2026-12-01T10:16:00Z");
    expect(list.pages).toBe(2);
    const second = toItem(records[1], "oai_dc");
    expect(second.titles).toEqual(["Der Einfluss von Licht & Lärm auf Stadtvögel"]);
    const first = toItem(records[0], "oai_dc");
    expect(first).toMatchObject({
      titles: ['The effects of "urban heat islands" on nesting swifts'],
      creators: ["Lindqvist, Maja"],
      unqualifiedContributors: ["Baptiste, Henri"],
      dates: ["2026-11-03T08:12:55Z", "2026"],
      languages: ["en"],
      identifiers: ["https://hdl.handle.net/1234/5678"],
      publishers: ["Example University"],
    });
  });

  it("formats: qdc is chosen over dim, mods, marc and oai_dc (by namespace too)", async () => {
    const { h } = await harvesterFor(() => "dspace7-formats.xml");
    const formats = await h.listMetadataFormats();
    expect(chooseFormat(formats)).toBe("qdc");
    expect(chooseFormat(formats.filter((f) => f.metadataPrefix !== "qdc"))).toBe("dim");
    expect(chooseFormat(formats.filter((f) => !["dim", "qdc"].includes(f.metadataPrefix)))).toBe("mods");
    expect(
      chooseFormat(formats.filter((f) => f.metadataPrefix === "oai_dc" || f.metadataPrefix === "marc")),
    ).toBe("marc");
  });

  it("qdc: abstract, alternative title, issue date first", async () => {
    const { h } = await harvesterFor(() => "dspace8-qdc.xml");
    const { record } = await h.getRecord("oai:repository.example.edu:1234/5678", "qdc");
    expect(toItem(record, "qdc")).toMatchObject({
      alternativeTitles: ["Urban heat and swifts"],
      abstracts: [
        "Swifts nest in buildings; this thesis measures how city heat changes their breeding success.",
      ],
      dates: ["2026-06", "2026-11-03T08:12:55Z"],
      rights: ["Attribution 4.0 International"],
    });
  });

  it("dim: advisors, degree, LCSH, DOI", async () => {
    const { h } = await harvesterFor(() => "dspace7-dim.xml");
    const { record } = await h.getRecord("oai:repository.example.edu:1234/5678", "dim");
    expect(toItem(record, "dim")).toMatchObject({
      creators: ["Lindqvist, Maja"],
      advisors: ["Baptiste, Henri"],
      contributors: ["Osei, Kwame"],
      dates: ["2026-06"],
      subjects: [{ value: "Swifts--Breeding", scheme: "lcsh" }, { value: "heat islands" }],
      identifiers: ["https://hdl.handle.net/1234/5678", "https://doi.org/10.5555/example.5678"],
      extent: "x, 182 pages",
      degree: {
        name: "Doctor of Philosophy",
        level: "Doctoral",
        grantor: "Example University. Department of Biology",
      },
    });
  });
});

describe("EPrints", () => {
  it("follows its URL-encoded token to a last page without a token; citations are not identifiers", async () => {
    const { h, requests } = await harvesterFor((q) =>
      q.get("resumptionToken") ? "eprints-oai_dc-last.xml" : "eprints-oai_dc.xml",
    );
    const records = await all(
      h.listRecords({ metadataPrefix: "oai_dc", set: "74797065733D746865736973" }).records(),
    );
    expect(records.map((r) => r.identifier)).toEqual([
      "oai:eprints.example.ac.uk:4242",
      "oai:eprints.example.ac.uk:4250",
    ]);
    expect(requests[1].get("resumptionToken")).toBe(
      "metadataPrefix%3Doai_dc%26offset%3D1%26set%3D74797065733D746865736973",
    );
    const item = toItem(records[0], "oai_dc");
    expect(item.identifiers).toEqual(["https://eprints.example.ac.uk/id/eprint/4242/1/LeGoff_thesis.pdf"]);
    expect(item.titles).toEqual(["La mémoire des ports atlantiques, 1850-1914"]);
  });
});

describe("errors and flow control", () => {
  it("an OAI error fails with its code and the request", async () => {
    const { h } = await harvesterFor(() => "error-badArgument.xml");
    const err = await all(h.listRecords({ metadataPrefix: "oai_dc", set: "nope" }).records()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OaiProtocolError);
    expect((err as OaiProtocolError).oaiCode).toBe("badArgument");
    expect((err as Error).message).toBe(
      "OAI-PMH error badArgument for ListRecords metadataPrefix=oai_dc set=nope: The request includes illegal arguments, is missing required arguments, includes a repeated argument, or values for arguments have an illegal syntax.",
    );
  });

  it("a bad token on page 2 fails the harvest after the records of page 1, naming the token", async () => {
    const { h } = await harvesterFor((q) =>
      q.get("resumptionToken") ? "error-badResumptionToken.xml" : "dspace7-oai_dc-page1.xml",
    );
    const seen: string[] = [];
    const err = await (async () => {
      for await (const r of h.listRecords({ metadataPrefix: "oai_dc" }).records()) seen.push(r.identifier);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(2);
    expect((err as OaiProtocolError).oaiCode).toBe("badResumptionToken");
    expect((err as Error).message).toContain(
      "ListRecords resumptionToken=oai_dc/2026-11-01T00:00:00Z//col_1234_77/10",
    );
  });

  it("noRecordsMatch is an empty list with its responseDate", async () => {
    const { h } = await harvesterFor(() => "error-noRecordsMatch.xml");
    const list = h.listRecords({ metadataPrefix: "oai_dc", from: "2027-01-01" });
    expect(await all(list.records())).toEqual([]);
    expect(list.responseDate).toBe("2026-12-01T10:21:02Z");
  });

  it("a failed page (500, then 503 with Retry-After) is asked again with the same token", async () => {
    let failures = 0;
    const { h, waits, requests } = await harvesterFor((q) => {
      if (!q.get("resumptionToken")) return "dspace7-oai_dc-page1.xml";
      failures++;
      if (failures === 1) return { status: 500 };
      if (failures === 2) return { status: 503, headers: { "retry-after": "7" } };
      return "dspace7-oai_dc-page2.xml";
    });
    const records = await all(h.listRecords({ metadataPrefix: "oai_dc" }).records());
    expect(records).toHaveLength(3);
    expect(waits).toEqual([2000, 7000]);
    expect(requests.slice(1).map((q) => q.get("resumptionToken"))).toEqual([
      "oai_dc/2026-11-01T00:00:00Z//col_1234_77/100",
      "oai_dc/2026-11-01T00:00:00Z//col_1234_77/100",
      "oai_dc/2026-11-01T00:00:00Z//col_1234_77/100",
    ]);
  });

  it("gives up after its attempts, saying what it asked", async () => {
    const { h } = await harvesterFor(() => ({ status: 503, headers: { "retry-after": "1" } }));
    const err = await h.identify().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OaiHttpError);
    expect((err as Error).message).toBe("Identify: HTTP 503, Retry-After 1s; gave up after 3 attempts");
  });

  it("a page whose entities expand past the cap is refused", async () => {
    const { h } = await harvesterFor(() => "entity-bomb.xml");
    const err = await h.identify().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OaiError);
    expect((err as Error).message).toMatch(/entity expansion past \d+ characters refused/);
  });

  it("an answer that is not OAI-PMH is a clear failure", async () => {
    const { h } = await harvesterFor(() => ({ status: 200, body: "<html><body>Login</body></html>" }));
    await expect(h.identify()).rejects.toThrow("the answer to Identify is not OAI-PMH (root <html>)");
  });
});
