/** The first API's master records: /bib/data read, create, update; /bib/validate*. */
import type { MarcRecord } from "../../marc/record.js";
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
  /** PUT /bib/data: 001 holds the number, 005 must match WorldCat's. */
  update(record: MarcRecord, options?: FirstApiOptions): Promise<MarcRecord>;
  /** POST /bib/{mode}. */
  validate(record: MarcRecord, mode?: ValidationMode, options?: FirstApiOptions): Promise<ValidationResult>;
}

export function firstBibApi(ctx: ApiContext): FirstBibApi {
  return {
    read: (ocn, o = {}) => firstRecord(ctx, "GET", firstUrl(ctx, `/bib/data/${ocnOf(ocn)}`, o), undefined, o),
    create: (record, o = {}) =>
      firstRecord(ctx, "POST", firstUrl(ctx, "/bib/data", o), record, { ...o, create: true }),
    update: (record, o = {}) => {
      ocnOfRecord(record, "update"); // fail early, before the network, when there is no number
      return firstRecord(ctx, "PUT", firstUrl(ctx, "/bib/data", o), record, o);
    },
    async validate(record, mode = "validateFull", o = {}) {
      const res = await firstSend(ctx, "POST", firstUrl(ctx, `/bib/${mode}`, o), record, {
        signal: o.signal,
        acceptStatus: VALIDATION_STATUSES,
      });
      return validationResult(res);
    },
  };
}
