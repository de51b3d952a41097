/**
 * The OAI-PMH 2.0 verbs a harvest needs: Identify, ListMetadataFormats, ListSets, ListRecords (resumption
 * tokens followed until an empty one; one page in memory at a time) and GetRecord.
 *
 * ```ts
 * const h = createHarvester(createOaiClient({ baseUrl }));
 * const list = h.listRecords({ metadataPrefix: "oai_dc", from: "2026-01-01" });
 * for await (const r of list.records()) console.log(r.identifier, r.deleted);
 * list.responseDate; // of the first page: the next harvest's `from`
 * ```
 */
import type { OaiClient, OaiResponse } from "./client.js";
import { OaiError } from "./errors.js";
import { type Granularity, harvestDate } from "./granularity.js";
import { child, childrenNamed, textOf, type XmlNode } from "./xml-tree.js";

export interface Identify {
  readonly repositoryName: string;
  readonly baseURL: string;
  readonly protocolVersion: string;
  readonly earliestDatestamp: string;
  readonly deletedRecord: string;
  readonly granularity: Granularity;
  readonly adminEmails: readonly string[];
  readonly responseDate: string;
}

export interface MetadataFormat {
  readonly metadataPrefix: string;
  readonly schema: string;
  readonly metadataNamespace: string;
}

export interface OaiSet {
  readonly setSpec: string;
  readonly setName: string;
}

/** One record of a list: its header, and its metadata element (absent for a deleted record). */
export interface HarvestedRecord {
  readonly identifier: string;
  readonly datestamp: string;
  readonly deleted: boolean;
  readonly sets: readonly string[];
  readonly metadata?: XmlNode;
}

export interface ListArgs {
  readonly metadataPrefix: string;
  readonly set?: string;
  /** Inclusive, `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ssZ`; sent at the repository's granularity. */
  readonly from?: string;
  readonly until?: string;
}

export interface RecordList {
  records(signal?: AbortSignal): AsyncGenerator<HarvestedRecord>;
  /** The first page's responseDate (set once the first page has come). */
  readonly responseDate: string | undefined;
  /** Pages fetched so far. */
  readonly pages: number;
  /** completeListSize of the last token that had one. */
  readonly completeListSize: number | undefined;
}

export interface Harvester {
  identify(signal?: AbortSignal): Promise<Identify>;
  listMetadataFormats(identifier?: string, signal?: AbortSignal): Promise<MetadataFormat[]>;
  listSets(signal?: AbortSignal): AsyncGenerator<OaiSet>;
  listRecords(args: ListArgs, granularity?: Granularity): RecordList;
  /** One record; throws OaiProtocolError idDoesNotExist when there is none. */
  getRecord(
    identifier: string,
    metadataPrefix: string,
    signal?: AbortSignal,
  ): Promise<{ record: HarvestedRecord; responseDate: string }>;
}

export function createHarvester(client: OaiClient): Harvester {
  return {
    async identify(signal) {
      const res = await client.request("Identify", {}, signal);
      const el = child(res.root, "Identify");
      if (!el) throw new OaiError("Identify: the answer has no <Identify> element");
      const value = (name: string) => textOf(child(el, name));
      const granularity = value("granularity");
      return {
        repositoryName: value("repositoryName"),
        baseURL: value("baseURL"),
        protocolVersion: value("protocolVersion"),
        earliestDatestamp: value("earliestDatestamp"),
        deletedRecord: value("deletedRecord"),
        granularity: granularity === "YYYY-MM-DDThh:mm:ssZ" ? granularity : "YYYY-MM-DD",
        adminEmails: childrenNamed(el, "adminEmail").map(textOf),
        responseDate: res.responseDate,
      };
    },
    async listMetadataFormats(identifier, signal) {
      const res = await client.request("ListMetadataFormats", { identifier }, signal);
      return childrenNamed(child(res.root, "ListMetadataFormats"), "metadataFormat").map((f) => ({
        metadataPrefix: textOf(child(f, "metadataPrefix")),
        schema: textOf(child(f, "schema")),
        metadataNamespace: textOf(child(f, "metadataNamespace")),
      }));
    },
    async *listSets(signal) {
      for await (const { page } of pages(client, "ListSets", {}, signal)) {
        for (const s of childrenNamed(page, "set")) {
          yield { setSpec: textOf(child(s, "setSpec")), setName: textOf(child(s, "setName")) };
        }
      }
    },
    listRecords(args, granularity = "YYYY-MM-DD") {
      let responseDate: string | undefined;
      let count = 0;
      let size: number | undefined;
      const request = {
        metadataPrefix: args.metadataPrefix,
        set: args.set,
        from: args.from === undefined ? undefined : harvestDate(args.from, granularity, "from"),
        until: args.until === undefined ? undefined : harvestDate(args.until, granularity, "until"),
      };
      return {
        get responseDate() {
          return responseDate;
        },
        get pages() {
          return count;
        },
        get completeListSize() {
          return size;
        },
        async *records(signal) {
          for await (const { page, res, listSize } of pages(client, "ListRecords", request, signal)) {
            responseDate ??= res.responseDate;
            count++;
            size = listSize ?? size;
            for (const r of childrenNamed(page, "record")) yield recordOf(r);
          }
        },
      };
    },
    async getRecord(identifier, metadataPrefix, signal) {
      const res = await client.request("GetRecord", { identifier, metadataPrefix }, signal);
      const r = child(child(res.root, "GetRecord"), "record");
      if (!r) throw new OaiError(`GetRecord ${identifier}: the answer has no <record>`);
      return { record: recordOf(r), responseDate: res.responseDate };
    },
  };
}

/**
 * The pages of a list verb: the first with the arguments, the next ones with the resumption token alone
 * (an exclusive argument), until a page without a token or with an empty one. Only the current page is
 * held; noRecordsMatch is one empty page.
 */
async function* pages(
  client: OaiClient,
  verb: string,
  args: Readonly<Record<string, string | undefined>>,
  signal: AbortSignal | undefined,
): AsyncGenerator<{ page: XmlNode | undefined; res: OaiResponse; listSize?: number }> {
  let request: Readonly<Record<string, string | undefined>> = args;
  const seen = new Set<string>();
  for (;;) {
    const res = await client.request(verb, request, signal);
    if (res.empty) {
      yield { page: undefined, res };
      return;
    }
    const page = child(res.root, verb);
    if (!page) throw new OaiError(`${verb}: the answer has no <${verb}> element`);
    const tokenEl = child(page, "resumptionToken");
    const token = tokenEl ? tokenEl.text.trim() : "";
    const listSize = tokenEl?.attrs.completeListSize ? Number(tokenEl.attrs.completeListSize) : undefined;
    yield { page, res, listSize };
    if (token === "") return;
    // A repository that hands back a token it gave before would make the harvest go round for ever.
    if (seen.has(token))
      throw new OaiError(`${verb}: the repository gave the resumption token ${token} twice`);
    seen.add(token);
    request = { resumptionToken: token };
  }
}

function recordOf(r: XmlNode): HarvestedRecord {
  const header = child(r, "header");
  if (!header) throw new OaiError("a <record> without a <header>");
  const identifier = textOf(child(header, "identifier"));
  const metadata = child(r, "metadata")?.children[0];
  return {
    identifier,
    datestamp: textOf(child(header, "datestamp")),
    deleted: header.attrs.status === "deleted",
    sets: childrenNamed(header, "setSpec").map(textOf),
    metadata,
  };
}
