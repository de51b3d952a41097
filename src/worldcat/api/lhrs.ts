/**
 * Metadata API 2.0 local holdings records (LHR, MARC 21 holdings records): create, read, replace, delete
 * (/manage/lhrs), and the institution's holdings as JSON: search and read (/search/my-holdings), browse
 * (/browse/my-holdings), shared-print commitments (/search/retained-holdings).
 */
import type { MarcRecord } from "../../marc/record.js";
import { ocnOf, recordFromBody } from "../marc-body.js";
import { type ApiContext, lbdId, metadataJson, metadataRecordCall, withQuery } from "./context.js";

/** One shared-print commitment of a holding (from the LHR's 583). */
export interface SharedPrintCommitment {
  readonly committedToRetain: boolean;
  readonly actionNote?: string;
  readonly dateOfAction?: string;
  readonly commitmentExpirationDate?: string;
  readonly program?: string;
  readonly institutionSymbol?: string;
}

/** One local holdings record as JSON; OCLC sends more members than these, kept as they come. */
export interface DetailedHolding {
  readonly lhrControlNumber: string;
  readonly oclcNumber: string;
  readonly institutionSymbol?: string;
  readonly lhrDateEntered?: string;
  readonly lhrLastUpdated?: string;
  readonly format?: string;
  readonly location?: { readonly holdingLocation?: string; readonly sublocationCollection?: string };
  readonly callNumber?: { readonly displayCallNumber?: string };
  readonly summary?: string;
  readonly hasSharedPrintCommitment?: boolean;
  readonly sharedPrintCommitments?: readonly SharedPrintCommitment[];
  readonly holdingParts?: readonly { readonly pieceDesignation?: string }[];
  readonly [member: string]: unknown;
}

export interface HoldingsPage {
  readonly numberOfHoldings: number;
  readonly detailedHoldings: readonly DetailedHolding[];
}

export interface MyHoldingsQuery {
  readonly oclcNumber?: string | number;
  readonly barcode?: string;
  readonly orderBy?: "commitmentExpirationDate" | "location" | "oclcSymbol";
  readonly offset?: number;
  readonly limit?: number;
}

export interface BrowseQuery {
  readonly callNumber: string;
  readonly holdingLocation: string;
  readonly shelvingLocation: string;
  readonly oclcNumber?: string | number;
  readonly browsePosition?: number;
  readonly limit?: number;
}

export interface LhrsApi {
  /** POST /manage/lhrs. A create: see OutcomeUnknownError. */
  create(record: MarcRecord, signal?: AbortSignal): Promise<MarcRecord>;
  /** GET /manage/lhrs/{controlNumber}. */
  read(id: string | number, signal?: AbortSignal): Promise<MarcRecord>;
  /** PUT /manage/lhrs/{controlNumber}; 001 = the number, 005 = the current 005. */
  replace(id: string | number, record: MarcRecord, signal?: AbortSignal): Promise<MarcRecord>;
  /** DELETE /manage/lhrs/{controlNumber}; the deleted record when the server returns it. */
  delete(id: string | number, signal?: AbortSignal): Promise<MarcRecord | undefined>;
  /** GET /search/my-holdings (oclcNumber or barcode). */
  search(query: MyHoldingsQuery, signal?: AbortSignal): Promise<HoldingsPage>;
  /** GET /search/my-holdings/{controlNumber}. */
  detail(id: string | number, signal?: AbortSignal): Promise<DetailedHolding>;
  /** GET /browse/my-holdings. */
  browse(query: BrowseQuery, signal?: AbortSignal): Promise<HoldingsPage>;
  /** GET /search/retained-holdings: the institution's shared-print commitments. */
  retained(query: MyHoldingsQuery, signal?: AbortSignal): Promise<HoldingsPage>;
}

function holdingsPage(body: Partial<HoldingsPage>): HoldingsPage {
  return {
    numberOfHoldings: Number(body.numberOfHoldings ?? 0),
    detailedHoldings: (body.detailedHoldings ?? []).map((h) => ({
      ...h,
      lhrControlNumber: String(h.lhrControlNumber),
      oclcNumber: String(h.oclcNumber),
    })),
  };
}

function searchParams(q: MyHoldingsQuery) {
  return { ...q, oclcNumber: q.oclcNumber === undefined ? undefined : ocnOf(q.oclcNumber) };
}

export function lhrsApi(ctx: ApiContext): LhrsApi {
  const root = ctx.account.baseUrls.metadata;
  const base = `${root}/manage/lhrs`;
  const send = (
    method: string,
    url: string,
    record: MarcRecord | undefined,
    create: boolean,
    signal?: AbortSignal,
  ) => metadataRecordCall(ctx, method, url, record, create, signal);
  const page = async (url: string, signal?: AbortSignal) =>
    holdingsPage(await metadataJson<Partial<HoldingsPage>>(ctx, { method: "GET", url, signal }));
  return {
    create: async (record, signal) => {
      const res = await send("POST", base, record, true, signal);
      return recordFromBody(res.body, `POST ${base}`, res.status);
    },
    read: async (id, signal) =>
      recordFromBody((await send("GET", `${base}/${lbdId(id)}`, undefined, false, signal)).body, "read lhr"),
    replace: async (id, record, signal) =>
      recordFromBody((await send("PUT", `${base}/${lbdId(id)}`, record, false, signal)).body, "replace lhr"),
    delete: async (id, signal) => {
      const res = await send("DELETE", `${base}/${lbdId(id)}`, undefined, false, signal);
      return res.body.includes("<record") ? recordFromBody(res.body, "delete lhr") : undefined;
    },
    search: (query, signal) => page(withQuery(`${root}/search/my-holdings`, searchParams(query)), signal),
    detail: async (id, signal) => {
      const h = await metadataJson<DetailedHolding>(ctx, {
        method: "GET",
        url: `${root}/search/my-holdings/${lbdId(id)}`,
        signal,
      });
      return { ...h, lhrControlNumber: String(h.lhrControlNumber), oclcNumber: String(h.oclcNumber) };
    },
    browse: (query, signal) =>
      page(
        withQuery(`${root}/browse/my-holdings`, {
          ...query,
          oclcNumber: query.oclcNumber === undefined ? undefined : ocnOf(query.oclcNumber),
        }),
        signal,
      ),
    retained: (query, signal) =>
      page(withQuery(`${root}/search/retained-holdings`, searchParams(query)), signal),
  };
}
