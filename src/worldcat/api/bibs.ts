/** Metadata API 2.0 bibliographic records: create, read, replace, validate, current numbers, match. */
import type { MarcRecord } from "../../marc/record.js";
import { MARCXML_2, marcBody, ocnOf, ocnOfRecord, recordFromBody } from "../marc-body.js";
import { type ApiContext, chunks, metadataJson, metadataRecordCall } from "./context.js";
import type { BriefBibsResult } from "./search.js";
import {
  VALIDATION_STATUSES,
  type ValidationMode,
  type ValidationResult,
  validationResult,
} from "./validation.js";

export interface CurrentNumber {
  readonly requested: string;
  readonly current: string;
}

export interface BibsApi {
  /** POST /manage/bibs. Never retried after an ambiguous failure: OutcomeUnknownError then. */
  create(record: MarcRecord, signal?: AbortSignal): Promise<MarcRecord>;
  /** GET /manage/bibs/{ocn}. */
  read(ocn: string | number, signal?: AbortSignal): Promise<MarcRecord>;
  /** PUT /manage/bibs/{ocn}; the number comes from the record's 001 (or 035), 005 must be current. */
  replace(record: MarcRecord, signal?: AbortSignal): Promise<MarcRecord>;
  /** POST /manage/bibs/validate/{mode}: a result, not an exception, when the record is invalid. */
  validate(record: MarcRecord, mode?: ValidationMode, signal?: AbortSignal): Promise<ValidationResult>;
  /** GET /manage/bibs/current, any number of numbers (sent 10 at a time). */
  current(ocns: readonly (string | number)[], signal?: AbortSignal): Promise<CurrentNumber[]>;
  /** POST /manage/bibs/match. */
  match(record: MarcRecord, signal?: AbortSignal): Promise<BriefBibsResult>;
}

export function bibsApi(ctx: ApiContext): BibsApi {
  const base = `${ctx.account.baseUrls.metadata}/manage/bibs`;
  const send = async (
    method: string,
    url: string,
    record: MarcRecord | undefined,
    create: boolean,
    signal?: AbortSignal,
  ) => {
    const res = await metadataRecordCall(ctx, method, url, record, create, signal);
    return recordFromBody(res.body, `${method} ${url}`, res.status);
  };
  return {
    create: (record, signal) => send("POST", base, record, true, signal),
    read: (ocn, signal) => send("GET", `${base}/${ocnOf(ocn)}`, undefined, false, signal),
    replace: (record, signal) =>
      send("PUT", `${base}/${ocnOfRecord(record, "replace")}`, record, false, signal),
    async validate(record, mode = "validateFull", signal) {
      const res = await ctx.transport.request({
        method: "POST",
        url: `${base}/validate/${mode}`,
        headers: { "content-type": MARCXML_2, accept: "application/json" },
        body: marcBody(record),
        auth: ctx.metadataAuth,
        acceptStatus: VALIDATION_STATUSES,
        signal,
      });
      return validationResult(res);
    },
    async current(ocns, signal) {
      const out: CurrentNumber[] = [];
      for (const group of chunks(ocns.map(ocnOf), 10)) {
        const url = `${base}/current?oclcNumbers=${group.join(",")}`;
        const body = await metadataJson<{ controlNumbers?: CurrentNumber[] }>(ctx, {
          method: "GET",
          url,
          signal,
        });
        for (const c of body.controlNumbers ?? [])
          out.push({ requested: String(c.requested), current: String(c.current) });
      }
      return out;
    },
    async match(record, signal) {
      const body = await metadataJson<Partial<BriefBibsResult>>(ctx, {
        method: "POST",
        url: `${base}/match`,
        headers: { "content-type": MARCXML_2 },
        body: marcBody(record),
        signal,
      });
      return { numberOfRecords: Number(body.numberOfRecords ?? 0), briefRecords: body.briefRecords ?? [] };
    },
  };
}
