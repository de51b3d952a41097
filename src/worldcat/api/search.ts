/** Metadata API 2.0 brief-bib search: by query, or one number. */
import { ocnOf } from "../marc-body.js";
import { type ApiContext, metadataJson, withQuery } from "./context.js";

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

export interface SearchApi {
  /** GET /search/brief-bibs. */
  briefBibs(query: SearchQuery, signal?: AbortSignal): Promise<BriefBibsResult>;
  /** GET /search/brief-bibs/{ocn}. */
  briefBib(ocn: string | number, signal?: AbortSignal): Promise<BriefBib>;
}

export function searchApi(ctx: ApiContext): SearchApi {
  const base = `${ctx.account.baseUrls.metadata}/search/brief-bibs`;
  return {
    async briefBibs(query, signal) {
      const limit = query.limit === undefined ? undefined : Math.min(50, Math.max(1, query.limit));
      const url = withQuery(base, { ...query, limit });
      const body = await metadataJson<Partial<BriefBibsResult>>(ctx, { method: "GET", url, signal });
      return { numberOfRecords: Number(body.numberOfRecords ?? 0), briefRecords: body.briefRecords ?? [] };
    },
    briefBib: (ocn, signal) =>
      metadataJson<BriefBib>(ctx, { method: "GET", url: `${base}/${ocnOf(ocn)}`, signal }),
  };
}
