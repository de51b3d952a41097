/**
 * Metadata API 2.0 search: brief bibs (query, one number, other editions), the full record as JSON,
 * classification, institution identifiers, and the holdings of every institution (summary and shared print).
 */
import { ocnOf } from "../marc-body.js";
import { type ApiContext, metadataJson, withQuery } from "./context.js";
import type { DetailedHolding } from "./lhrs.js";

/** One brief record; OCLC sends more members than these, kept as they come. */
export interface BriefBib {
  readonly oclcNumber: string;
  readonly title?: string;
  readonly creator?: string;
  readonly date?: string;
  readonly isbns?: readonly string[];
  readonly [member: string]: unknown;
}

export interface BriefBibsResult {
  readonly numberOfRecords: number;
  readonly briefRecords: readonly BriefBib[];
}

export interface SearchQuery {
  /** OCLC query syntax, e.g. `ti:dune AND au:herbert`, `bn:9780441013593`. */
  readonly q: string;
  /** 1-based. */
  readonly offset?: number;
  /** At most 50. */
  readonly limit?: number;
  /** Further filters passed through as query parameters (e.g. itemType, orderBy). */
  readonly [param: string]: string | number | undefined;
}

/** The full record as JSON (/search/bibs/{ocn}); members as OCLC sends them. */
export interface FullBib {
  readonly identifier: { readonly oclcNumber: string; readonly [member: string]: unknown };
  readonly [member: string]: unknown;
}

export interface Classification {
  readonly dewey?: { readonly mostPopular: readonly string[] };
  readonly lc?: { readonly mostPopular: readonly string[] };
}

export interface InstitutionEntry {
  readonly oclcSymbols: readonly string[];
  /** A number in this answer. */
  readonly registryId: number;
  readonly [member: string]: unknown;
}

export interface HoldingCounts {
  readonly totalHoldingCount: number;
  readonly totalSharedPrintCount?: number;
  readonly holdingsByCountry?: readonly { readonly country: string; readonly holdingCount: number }[];
  readonly holdingsByState?: readonly { readonly state: string; readonly holdingCount: number }[];
  readonly holdingsByInstitution?: readonly { readonly oclcSymbol: string; readonly registryId: number }[];
  readonly [member: string]: unknown;
}

/** oclcNumber, isbn or issn: the record(s) whose holdings are asked for. */
export type HoldingsOf =
  | { readonly oclcNumber: string | number }
  | { readonly isbn: string }
  | { readonly issn: string };

export interface SearchApi {
  /** GET /search/brief-bibs. */
  briefBibs(query: SearchQuery, signal?: AbortSignal): Promise<BriefBibsResult>;
  /** GET /search/brief-bibs/{ocn}. */
  briefBib(ocn: string | number, signal?: AbortSignal): Promise<BriefBib>;
  /** GET /search/brief-bibs/{ocn}/other-editions. */
  otherEditions(
    ocn: string | number,
    page?: { offset?: number; limit?: number },
    signal?: AbortSignal,
  ): Promise<BriefBibsResult>;
  /** GET /search/bibs/{ocn}: the full record as JSON. */
  bib(ocn: string | number, signal?: AbortSignal): Promise<FullBib>;
  /** GET /search/classification-bibs/{ocn}. */
  classification(ocn: string | number, signal?: AbortSignal): Promise<Classification>;
  /** GET /search/institution by registry ids or OCLC symbols (one of them). */
  institutions(
    by: { registryIds: readonly (string | number)[] } | { oclcSymbols: readonly string[] },
    signal?: AbortSignal,
  ): Promise<InstitutionEntry[]>;
  /** GET /search/summary-holdings: holdings counts of one record. */
  summaryHoldings(of: HoldingsOf, signal?: AbortSignal): Promise<HoldingCounts>;
  /** GET /search/bibs-summary-holdings: brief records with their holdings counts. */
  bibsSummaryHoldings(
    of: HoldingsOf,
    signal?: AbortSignal,
  ): Promise<{
    numberOfRecords: number;
    briefRecords: (BriefBib & { institutionHolding?: HoldingCounts })[];
  }>;
  /** GET /search/bibs-retained-holdings: every institution's shared-print commitments on a record. */
  bibsRetainedHoldings(
    of: HoldingsOf,
    signal?: AbortSignal,
  ): Promise<{
    numberOfRecords: number;
    briefRecords: (BriefBib & {
      institutionHolding?: { totalHoldingCount: number; briefHoldings?: readonly DetailedHolding[] };
    })[];
  }>;
}

function holdingsOfParams(of: HoldingsOf): Record<string, string> {
  if ("oclcNumber" in of) return { oclcNumber: ocnOf(of.oclcNumber) };
  if ("isbn" in of) return { isbn: of.isbn };
  return { issn: of.issn };
}

function briefResult(body: Partial<BriefBibsResult>): BriefBibsResult {
  return {
    numberOfRecords: Number(body.numberOfRecords ?? 0),
    briefRecords: (body.briefRecords ?? []).map((b) => ({ ...b, oclcNumber: String(b.oclcNumber) })),
  };
}

export function searchApi(ctx: ApiContext): SearchApi {
  const root = `${ctx.account.baseUrls.metadata}/search`;
  const base = `${root}/brief-bibs`;
  return {
    async briefBibs(query, signal) {
      const limit = query.limit === undefined ? undefined : Math.min(50, Math.max(1, query.limit));
      const url = withQuery(base, { ...query, limit });
      const body = await metadataJson<Partial<BriefBibsResult>>(ctx, { method: "GET", url, signal });
      return { numberOfRecords: Number(body.numberOfRecords ?? 0), briefRecords: body.briefRecords ?? [] };
    },
    briefBib: (ocn, signal) =>
      metadataJson<BriefBib>(ctx, { method: "GET", url: `${base}/${ocnOf(ocn)}`, signal }),
    async otherEditions(ocn, page = {}, signal) {
      const url = withQuery(`${base}/${ocnOf(ocn)}/other-editions`, page);
      return briefResult(await metadataJson<Partial<BriefBibsResult>>(ctx, { method: "GET", url, signal }));
    },
    bib: (ocn, signal) =>
      metadataJson<FullBib>(ctx, { method: "GET", url: `${root}/bibs/${ocnOf(ocn)}`, signal }),
    classification: (ocn, signal) =>
      metadataJson<Classification>(ctx, {
        method: "GET",
        url: `${root}/classification-bibs/${ocnOf(ocn)}`,
        signal,
      }),
    async institutions(by, signal) {
      const params =
        "registryIds" in by
          ? { registryIds: by.registryIds.map(String).join(",") }
          : { oclcSymbols: by.oclcSymbols.join(",") };
      const url = withQuery(`${root}/institution`, params);
      const body = await metadataJson<{ entries?: InstitutionEntry[] }>(ctx, { method: "GET", url, signal });
      return (body.entries ?? []).map((e) => ({ ...e, registryId: Number(e.registryId) }));
    },
    async summaryHoldings(of, signal) {
      const url = withQuery(`${root}/summary-holdings`, holdingsOfParams(of));
      const body = await metadataJson<Partial<HoldingCounts>>(ctx, { method: "GET", url, signal });
      return { ...body, totalHoldingCount: Number(body.totalHoldingCount ?? 0) };
    },
    async bibsSummaryHoldings(of, signal) {
      const url = withQuery(`${root}/bibs-summary-holdings`, holdingsOfParams(of));
      return briefResult(
        await metadataJson<Partial<BriefBibsResult>>(ctx, { method: "GET", url, signal }),
      ) as never;
    },
    async bibsRetainedHoldings(of, signal) {
      const url = withQuery(`${root}/bibs-retained-holdings`, holdingsOfParams(of));
      return briefResult(
        await metadataJson<Partial<BriefBibsResult>>(ctx, { method: "GET", url, signal }),
      ) as never;
    },
  };
}
