/** Metadata API 2.0 institution holdings: current status, set, unset (by number or by record), codes. */
import type { MarcRecord } from "../../marc/record.js";
import { MARCXML_2, marcBody, ocnOf } from "../marc-body.js";
import { type ApiContext, chunks, metadataJson, withQuery } from "./context.js";

export interface HoldingStatus {
  readonly requestedControlNumber: string;
  readonly currentControlNumber: string;
  readonly institutionSymbol: string;
  readonly holdingSet: boolean;
}

/** OCLC's answer to set/unset, e.g. `{ success: true, message: "Holding Updated Successfully", action: "Set Holdings" }`. */
export interface HoldingChange {
  readonly controlNumber: string;
  readonly requestedControlNumber: string;
  readonly institutionCode?: string;
  readonly institutionSymbol?: string;
  readonly success: boolean;
  readonly message?: string;
  readonly action?: string;
}

export interface HoldingCode {
  readonly code: string;
  readonly name?: string;
}

const CODE_SHAPE = /^[A-Z0-9]{3,5}$/;

/**
 * WorldCat answers holding-codes with `code` and `name` swapped (the description in `code`, the 049 code
 * in `name`); put them back when the shape says so, and leave a correct answer alone.
 */
export function normaliseHoldingCode(c: HoldingCode): HoldingCode {
  if (c.name && CODE_SHAPE.test(c.name) && !CODE_SHAPE.test(c.code)) return { code: c.name, name: c.code };
  return c;
}

/** The answer to a move request: accepted, carried out later (confirm with `current`). */
export interface MoveRequest {
  readonly sourceOclcNumber: string;
  readonly targetOclcNumber: string;
  readonly success?: boolean;
  readonly message?: string;
  readonly [member: string]: unknown;
}

export interface Branch {
  readonly branchName?: string;
  readonly holdingLocation: string;
  readonly shelvingLocations?: readonly { readonly name: string }[];
  readonly [member: string]: unknown;
}

export interface BranchShelvingLocations {
  /** The institution's registry id (a string in this answer). */
  readonly id: string;
  readonly hasProblems: boolean;
  readonly branches: readonly Branch[];
  readonly [member: string]: unknown;
}

export interface HoldingsApi {
  /** GET /manage/institution/holdings/current, any number of numbers (10 per request). */
  current(ocns: readonly (string | number)[], signal?: AbortSignal): Promise<HoldingStatus[]>;
  /** POST /manage/institution/holdings/{ocn}/set. */
  set(ocn: string | number, signal?: AbortSignal): Promise<HoldingChange>;
  /** POST /manage/institution/holdings/{ocn}/unset; cascadeDelete (default true) removes local bib data too. */
  unset(
    ocn: string | number,
    options?: { cascadeDelete?: boolean; signal?: AbortSignal },
  ): Promise<HoldingChange>;
  /** POST /manage/institution/holdings/set with a MARC record (number from 001 or 035). */
  setForRecord(record: MarcRecord, signal?: AbortSignal): Promise<HoldingChange>;
  /** POST /manage/institution/holdings/unset with a MARC record. */
  unsetForRecord(
    record: MarcRecord,
    options?: { cascadeDelete?: boolean; signal?: AbortSignal },
  ): Promise<HoldingChange>;
  /** GET /manage/institution/holding-codes. */
  codes(signal?: AbortSignal): Promise<HoldingCode[]>;
  /**
   * POST /manage/institution/holdings/move: holdings, LBD and LHRs from one record to another. Asynchronous:
   * confirm with `current`. 409 CONFLICT when the source has no LBD or LHRs.
   */
  move(from: string | number, to: string | number, signal?: AbortSignal): Promise<MoveRequest>;
  /** GET /manage/institution-config/branch-shelving-locations. */
  branchShelvingLocations(options?: {
    includeShelvingLocations?: boolean;
    signal?: AbortSignal;
  }): Promise<BranchShelvingLocations>;
}

export function holdingsApi(ctx: ApiContext): HoldingsApi {
  const base = `${ctx.account.baseUrls.metadata}/manage/institution`;
  const post = (url: string, record?: MarcRecord, signal?: AbortSignal) =>
    metadataJson<HoldingChange>(ctx, {
      method: "POST",
      url,
      headers: record ? { "content-type": MARCXML_2 } : undefined,
      body: record ? marcBody(record) : undefined,
      signal,
    });
  return {
    async current(ocns, signal) {
      const out: HoldingStatus[] = [];
      for (const group of chunks(ocns.map(ocnOf), 10)) {
        const url = `${base}/holdings/current?oclcNumbers=${group.join(",")}`;
        const body = await metadataJson<{ holdings?: HoldingStatus[] }>(ctx, { method: "GET", url, signal });
        out.push(...(body.holdings ?? []));
      }
      return out;
    },
    set: (ocn, signal) => post(`${base}/holdings/${ocnOf(ocn)}/set`, undefined, signal),
    unset: (ocn, options = {}) =>
      post(
        withQuery(`${base}/holdings/${ocnOf(ocn)}/unset`, { cascadeDelete: options.cascadeDelete ?? true }),
        undefined,
        options.signal,
      ),
    setForRecord: (record, signal) => post(`${base}/holdings/set`, record, signal),
    unsetForRecord: (record, options = {}) =>
      post(
        withQuery(`${base}/holdings/unset`, { cascadeDelete: options.cascadeDelete ?? true }),
        record,
        options.signal,
      ),
    async move(from, to, signal) {
      const body = await metadataJson<Partial<MoveRequest>>(ctx, {
        method: "POST",
        url: `${base}/holdings/move`,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sourceOclcNumber: ocnOf(from), targetOclcNumber: ocnOf(to) }),
        signal,
      });
      return {
        ...body,
        sourceOclcNumber: String(body.sourceOclcNumber ?? ocnOf(from)),
        targetOclcNumber: String(body.targetOclcNumber ?? ocnOf(to)),
      };
    },
    async branchShelvingLocations(options = {}) {
      const url = withQuery(
        `${ctx.account.baseUrls.metadata}/manage/institution-config/branch-shelving-locations`,
        {
          includeShelvingLocations: options.includeShelvingLocations,
        },
      );
      const body = await metadataJson<Partial<BranchShelvingLocations>>(ctx, {
        method: "GET",
        url,
        signal: options.signal,
      });
      return {
        ...body,
        id: String(body.id ?? ""),
        hasProblems: body.hasProblems === true,
        branches: body.branches ?? [],
      };
    },
    async codes(signal) {
      const body = await metadataJson<{ holdingLibraryCodes?: HoldingCode[] }>(ctx, {
        method: "GET",
        url: `${base}/holding-codes`,
        signal,
      });
      return (body.holdingLibraryCodes ?? []).map(normaliseHoldingCode);
    },
  };
}
