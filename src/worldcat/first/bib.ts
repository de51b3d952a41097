/** The first API's master records: /bib/data read, create, update; /bib/validate*. */
import { controlField, type MarcRecord } from "../../marc/record.js";
import type { ApiContext } from "../api/context.js";
import {
  VALIDATION_STATUSES,
  type ValidationMode,
  type ValidationResult,
  validationResult,
} from "../api/validation.js";
import { ocnOf, ocnOfRecord } from "../marc-body.js";
import { type FirstApiOptions, firstRecord, firstSend, firstUrl } from "./context.js";

export interface FirstBibApi {
  /** GET /bib/data/{ocn}. */
  read(ocn: string | number, options?: FirstApiOptions): Promise<MarcRecord>;
  /** POST /bib/data: a new master record. Never retried after an ambiguous failure (OutcomeUnknownError). */
  create(record: MarcRecord, options?: FirstApiOptions): Promise<MarcRecord>;
  /** PUT /bib/data: 005 must match WorldCat's; 001 is sent as the bare number (ocm/ocn/on dropped). */
  update(record: MarcRecord, options?: FirstApiOptions): Promise<MarcRecord>;
  /** POST /bib/{mode}. */
  validate(record: MarcRecord, mode?: ValidationMode, options?: FirstApiOptions): Promise<ValidationResult>;
}

/** The first API wants 001 as the bare number (no ocm/ocn/on): rewrite it, failing early when there is none. */
function bare001(record: MarcRecord, what: string): MarcRecord {
  const ocn = ocnOfRecord(record, what);
  return record.controlValue("001") === ocn ? record : record.replaceFields("001", controlField("001", ocn));
}

export function firstBibApi(ctx: ApiContext): FirstBibApi {
  return {
    read: (ocn, o = {}) => firstRecord(ctx, "GET", firstUrl(ctx, `/bib/data/${ocnOf(ocn)}`, o), undefined, o),
    create: (record, o = {}) =>
      firstRecord(ctx, "POST", firstUrl(ctx, "/bib/data", o), record, { ...o, create: true }),
    update: (record, o = {}) =>
      firstRecord(ctx, "PUT", firstUrl(ctx, "/bib/data", o), bare001(record, "update"), o),
    async validate(record, mode = "validateFull", o = {}) {
      const body = mode === "validateReplace" ? bare001(record, "validateReplace") : record;
      const res = await firstSend(ctx, "POST", firstUrl(ctx, `/bib/${mode}`, o), body, {
        signal: o.signal,
        acceptStatus: VALIDATION_STATUSES,
      });
      return validationResult(res);
    },
  };
}
