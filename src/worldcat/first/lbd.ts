/** The first API's local bibliographic data: /lbd/data create, read, update, delete. */
import type { MarcRecord } from "../../marc/record.js";
import { type ApiContext, lbdId } from "../api/context.js";
import { WorldCatError } from "../errors.js";
import { recordFromBody } from "../marc-body.js";
import { type FirstApiOptions, firstRecord, firstSend, firstUrl } from "./context.js";

export interface FirstLbdApi {
  /** POST /lbd/data (004 master number, 935 local id, 940 symbol required). A create: OutcomeUnknownError. */
  create(record: MarcRecord, options?: FirstApiOptions): Promise<MarcRecord>;
  /** GET /lbd/data/{id}. */
  read(id: string | number, options?: FirstApiOptions): Promise<MarcRecord>;
  /** PUT /lbd/data: 001 holds the id, 005 must be current. */
  update(record: MarcRecord, options?: FirstApiOptions): Promise<MarcRecord>;
  /** DELETE /lbd/data/{id}. */
  delete(id: string | number, options?: FirstApiOptions): Promise<MarcRecord | undefined>;
}

export function firstLbdApi(ctx: ApiContext): FirstLbdApi {
  return {
    create: (record, o = {}) =>
      firstRecord(ctx, "POST", firstUrl(ctx, "/lbd/data", o), record, { ...o, create: true }),
    read: (id, o = {}) => firstRecord(ctx, "GET", firstUrl(ctx, `/lbd/data/${lbdId(id)}`, o), undefined, o),
    update: (record, o = {}) => {
      const id = record.controlValue("001");
      if (!id)
        throw new WorldCatError(
          { message: "update lbd: the record has no 001 (the local bib data id)" },
          "WORLDCAT_BAD_INPUT",
        );
      return firstRecord(ctx, "PUT", firstUrl(ctx, "/lbd/data", o), record, o);
    },
    async delete(id, o = {}) {
      const res = await firstSend(ctx, "DELETE", firstUrl(ctx, `/lbd/data/${lbdId(id)}`, o), undefined, o);
      return res.body.includes("<record") ? recordFromBody(res.body, "delete lbd") : undefined;
    },
  };
}
