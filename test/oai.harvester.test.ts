import { afterEach, describe, expect, it } from "vitest";
import { createOaiClient } from "../src/oai/client.js";
import { OaiProtocolError } from "../src/oai/errors.js";
import { chooseFormat, toItem } from "../src/oai/formats/index.js";
import { createHarvester, type HarvestedRecord } from "../src/oai/harvester.js";
import { type Sandbox, startSandbox } from "../src/sandbox/index.js";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function harvester(options: { oaiRetryAfter?: number } = {}) {
  sandbox = await startSandbox({ corpus: false, ...options });
  const retries: string[] = [];
  const waits: number[] = [];
  const client = createOaiClient({
    baseUrl: `${sandbox.url}/oai/request`,
    onRetry: (m) => retries.push(m),
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { h: createHarvester(client), retries, waits };
}

async function all(list: AsyncIterable<HarvestedRecord>) {
  const out: HarvestedRecord[] = [];
  for await (const r of list) out.push(r);
  return out;
}

describe("harvester against the sandbox provider", () => {
  it("Identify: granularity, earliest datestamp, deletions", async () => {
    const { h } = await harvester();
    const id = await h.identify();
    expect(id).toMatchObject({
      protocolVersion: "2.0",
      granularity: "YYYY-MM-DD",
      earliestDatestamp: "2026-01-05",
      deletedRecord: "persistent",
    });
    expect(id.responseDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it("formats and sets; qdc preferred over oai_dc", async () => {
    const { h } = await harvester();
    const formats = await h.listMetadataFormats();
    expect(formats.map((f) => f.metadataPrefix)).toEqual(["oai_dc", "qdc"]);
    expect(chooseFormat(formats)).toBe("qdc");
    const sets = [];
    for await (const s of h.listSets()) sets.push(s.setSpec);
    expect(sets).toEqual(["col_123456789_2", "col_123456789_3"]);
  });

  it("ListRecords follows resumption tokens over every page, deleted record included", async () => {
    const { h } = await harvester();
    const list = h.listRecords({ metadataPrefix: "oai_dc" });
    const records = await all(list.records());
    expect(records).toHaveLength(64);
    expect(new Set(records.map((r) => r.identifier)).size).toBe(64);
    expect(list.pages).toBe(7);
    expect(list.completeListSize).toBe(64);
    const deleted = records.filter((r) => r.deleted);
    expect(deleted.map((r) => [r.identifier, r.metadata])).toEqual([
      ["oai:repository.example.edu:123456789/1013", undefined],
    ]);
    expect(records[0].sets).toEqual(["col_123456789_2"]);
  });

  it("set, from and until narrow the list (inclusive days); full times are sent as days", async () => {
    const { h } = await harvester();
    const set = await all(h.listRecords({ metadataPrefix: "oai_dc", set: "col_123456789_3" }).records());
    expect(set.length).toBe(21);
    expect(set.every((r) => r.sets.includes("col_123456789_3"))).toBe(true);
    const range = await all(
      h.listRecords({ metadataPrefix: "qdc", from: "2026-01-06T10:11:12Z", until: "2026-01-07" }).records(),
    );
    expect(range.map((r) => r.datestamp)).toEqual(["2026-01-06", "2026-01-06", "2026-01-07", "2026-01-07"]);
  });

  it("noRecordsMatch is an empty list, not an error", async () => {
    const { h } = await harvester();
    const list = h.listRecords({ metadataPrefix: "oai_dc", from: "2030-01-01" });
    expect(await all(list.records())).toEqual([]);
    expect(list.responseDate).toMatch(/^20/);
  });

  it("other OAI errors fail with the code and the request", async () => {
    const { h } = await harvester();
    const err = await all(h.listRecords({ metadataPrefix: "mods" }).records()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OaiProtocolError);
    expect((err as OaiProtocolError).oaiCode).toBe("cannotDisseminateFormat");
    expect((err as Error).message).toContain("ListRecords metadataPrefix=mods");
    const missing = await h.getRecord("oai:nowhere:1", "oai_dc").catch((e: unknown) => e);
    expect((missing as OaiProtocolError).oaiCode).toBe("idDoesNotExist");
  });

  it("503 + Retry-After: the page is asked again with the same token after the wait", async () => {
    const { h, retries, waits } = await harvester({ oaiRetryAfter: 2 });
    const records = await all(h.listRecords({ metadataPrefix: "oai_dc" }).records());
    expect(records).toHaveLength(64);
    expect(waits).toEqual([2000]);
    expect(retries[0]).toMatch(/^ListRecords resumptionToken=.*HTTP 503, Retry-After 2s; attempt 2 of 5/);
    expect(sandbox!.state.counters.byStatus[503]).toBe(1);
  });

  it("GetRecord: one item, read into the intermediate shape from qdc", async () => {
    const { h } = await harvester();
    const { record } = await h.getRecord("oai:repository.example.edu:123456789/1003", "qdc");
    const item = toItem(record, "qdc");
    expect(item).toMatchObject({
      identifier: "oai:repository.example.edu:123456789/1003",
      titles: ["Les enjeux de green roofs and storm water retention (3)"],
      creators: ["Smith, Emily"],
      unqualifiedContributors: ["Kowalski, Siobhán"],
      subjects: [{ value: "Urban hydrology" }, { value: "Protein folding" }],
      languages: ["fre"],
      identifiers: ["https://repository.example.edu/handle/123456789/1003"],
      extent: "191 pages",
      dates: ["2021-04", "2026-01-06T09:00:00Z"],
      descriptions: ["Thesis (Master of Science)--Nightshift Demo University, 2021."],
    });
    expect(item.abstracts[0]).toMatch(/^This thesis examines green roofs/);
  });
});
