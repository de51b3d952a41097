/** Metadata API 2.0 local bibliographic data: create, read, replace, delete. */
import type { MarcRecord } from "../../marc/record.js";
import { recordFromBody } from "../marc-body.js";
import { type ApiContext, lbdId, metadataRecordCall } from "./context.js";

export interface LbdsApi {
  /** POST /manage/lbds (needs 004 master number, 935 local id, 940 symbol). A create: see OutcomeUnknownError. */
  create(record: MarcRecord, signal?: AbortSignal): Promise<MarcRecord>;
  /** GET /manage/lbds/{id}. */
  read(id: string | number, signal?: AbortSignal): Promise<MarcRecord>;
  /** PUT /manage/lbds/{id}. */
  replace(id: string | number, record: MarcRecord, signal?: AbortSignal): Promise<MarcRecord>;
  /** DELETE /manage/lbds/{id}; resolves with the deleted record when the server returns it. */
  delete(id: string | number, signal?: AbortSignal): Promise<MarcRecord | undefined>;
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
  };
}
