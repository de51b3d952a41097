/** Metadata API 2.0 local bibliographic data: create, read, replace, delete. */
import type { MarcRecord } from "../../marc/record.js";
import { WorldCatError } from "../errors.js";
import { MARCXML_2, marcBody, recordFromBody } from "../marc-body.js";
import type { ApiContext } from "./context.js";

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

function lbdId(id: string | number): string {
  const s = String(id).trim();
  if (!/^\d+$/.test(s))
    throw new WorldCatError(
      { message: `not a local bib data id: ${JSON.stringify(s)}` },
      "WORLDCAT_BAD_INPUT",
    );
  return s.replace(/^0+(?=\d)/, "");
}

export function lbdsApi(ctx: ApiContext): LbdsApi {
  const base = `${ctx.account.baseUrls.metadata}/manage/lbds`;
  const send = async (
    method: string,
    url: string,
    record: MarcRecord | undefined,
    create: boolean,
    signal?: AbortSignal,
  ) => {
    const res = await ctx.transport.request({
      method,
      url,
      headers: record ? { "content-type": MARCXML_2, accept: MARCXML_2 } : { accept: MARCXML_2 },
      body: record ? marcBody(record) : undefined,
      auth: ctx.metadataAuth,
      create,
      signal,
    });
    return res;
  };
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
