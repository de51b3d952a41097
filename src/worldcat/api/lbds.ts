/** Metadata API 2.0 local bibliographic data: create, read, replace, delete. */

import type { MarcJsonRecord } from "../../marc/json.js";
import type { MarcRecord } from "../../marc/record.js";
import { recordFromBody } from "../marc-body.js";
import { type ApiContext, lbdId, metadataJson, metadataRecordCall, withQuery } from "./context.js";

/** One local bibliographic data record as /search/my-local-bib-data gives it. */
export interface LbdEntry {
  readonly controlNumber: string;
  readonly oclcNumber?: string;
  readonly localIdentifier?: string;
  readonly institutionSymbol?: string;
  readonly record?: MarcJsonRecord;
  readonly [member: string]: unknown;
}

export interface LbdsApi {
  /** POST /manage/lbds (needs 004 master number, 935 local id, 940 symbol). A create: see OutcomeUnknownError. */
  create(record: MarcRecord, signal?: AbortSignal): Promise<MarcRecord>;
  /** GET /manage/lbds/{id}. */
  read(id: string | number, signal?: AbortSignal): Promise<MarcRecord>;
  /** PUT /manage/lbds/{id}. */
  replace(id: string | number, record: MarcRecord, signal?: AbortSignal): Promise<MarcRecord>;
  /** DELETE /manage/lbds/{id}; resolves with the deleted record when the server returns it. */
  delete(id: string | number, signal?: AbortSignal): Promise<MarcRecord | undefined>;
  /** GET /search/my-local-bib-data?q= (e.g. `no:12345`, `id:local-7`). */
  search(
    query: { q: string; offset?: number; limit?: number },
    signal?: AbortSignal,
  ): Promise<{ numberOfRecords: number; localBibData: LbdEntry[] }>;
  /** GET /search/my-local-bib-data/{controlNumber}. */
  detail(id: string | number, signal?: AbortSignal): Promise<LbdEntry>;
}

export function lbdsApi(ctx: ApiContext): LbdsApi {
  const base = `${ctx.account.baseUrls.metadata}/manage/lbds`;
  const send = (
    method: string,
    url: string,
    record: MarcRecord | undefined,
    create: boolean,
    signal?: AbortSignal,
  ) => metadataRecordCall(ctx, method, url, record, create, signal);
  return {
    create: async (record, signal) => {
      const res = await send("POST", base, record, true, signal);
      return recordFromBody(res.body, `POST ${base}`, res.status);
    },
    read: async (id, signal) =>
      recordFromBody((await send("GET", `${base}/${lbdId(id)}`, undefined, false, signal)).body, "read lbd"),
    replace: async (id, record, signal) =>
      recordFromBody((await send("PUT", `${base}/${lbdId(id)}`, record, false, signal)).body, "replace lbd"),
    delete: async (id, signal) => {
      const res = await send("DELETE", `${base}/${lbdId(id)}`, undefined, false, signal);
      return res.body.includes("<record") ? recordFromBody(res.body, "delete lbd") : undefined;
    },
    async search(query, signal) {
      const url = withQuery(`${ctx.account.baseUrls.metadata}/search/my-local-bib-data`, query);
      const body = await metadataJson<{ numberOfRecords?: number; localBibData?: LbdEntry[] }>(ctx, {
        method: "GET",
        url,
        signal,
      });
      return {
        numberOfRecords: Number(body.numberOfRecords ?? 0),
        localBibData: (body.localBibData ?? []).map((e) => ({
          ...e,
          controlNumber: String(e.controlNumber),
        })),
      };
    },
    async detail(id, signal) {
      const url = `${ctx.account.baseUrls.metadata}/search/my-local-bib-data/${lbdId(id)}`;
      const e = await metadataJson<LbdEntry>(ctx, { method: "GET", url, signal });
      return { ...e, controlNumber: String(e.controlNumber) };
    },
  };
}
