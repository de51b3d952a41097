/**
 * Metadata API 2.0 local holdings records: /worldcat/manage/lhrs (create, read, replace, delete, MARC 21
 * holdings records), /worldcat/search/my-holdings (search, read), /worldcat/browse/my-holdings and
 * /worldcat/search/retained-holdings (the institution's shared-print commitments, from LHRs' 583).
 */

import { readHoldings } from "../../marc/holdings.js";
import { parseOclcNumber } from "../../marc/oclc-number.js";
import { requireOcn } from "../domain/bib-ops.js";
import { detailedHolding } from "../domain/holdings-view.js";
import { createLhr, deleteLhr, readLhr, replaceLhr } from "../domain/lhr-ops.js";
import { BadRequestError } from "../errors.js";
import type { RequestContext } from "../http/context.js";
import { intParam } from "../http/params.js";
import { json } from "../http/reply.js";
import type { Route } from "../http/router.js";
import type { LocalHoldings, SandboxState } from "../state.js";
import { readRecord, v2Format, v2Record } from "./record-body.js";
import { requireLbdId } from "./v2-lbds.js";

const LHRS = "/worldcat/manage/lhrs";
const OP = "manage_institution_lhrs" as const;

/** The caller's LHRs matching oclcNumber and/or barcode (one of them required). */
function findMine(state: SandboxState, symbol: string, ctx: RequestContext): LocalHoldings[] {
  const ocnText = ctx.query.get("oclcNumber");
  const barcode = ctx.query.get("barcode");
  if (!ocnText && !barcode) throw new BadRequestError("Either 'oclcNumber' or 'barcode' is required");
  const ocn = ocnText ? state.bibs.current(requireOcn(ocnText)) : undefined;
  if (ocnText && ocn === undefined) return [];
  return [...state.lhrs.values()]
    .filter((l) => l.symbol === symbol)
    .filter((l) => ocn === undefined || l.ocn === ocn)
    .filter((l) => !barcode || readHoldings(l.record).barcodes.includes(barcode))
    .sort((a, b) => a.id - b.id);
}

function page(ctx: RequestContext, list: LocalHoldings[]) {
  const offset = intParam(ctx.query.get("offset"), "offset", 1, 1, 10_000);
  const limit = intParam(ctx.query.get("limit"), "limit", 10, 1, 50);
  return {
    numberOfHoldings: list.length,
    detailedHoldings: list.slice(offset - 1, offset - 1 + limit).map(detailedHolding),
  };
}

export const v2LhrRoutes: Route[] = [
  {
    method: "POST",
    pattern: LHRS,
    style: "v2",
    op: OP,
    handle: async ({ ctx, env, caller }) => {
      const format = v2Format(ctx);
      return v2Record(201, createLhr(env.state, caller.symbol, await readRecord(ctx, "v2")).record, format);
    },
  },
  {
    method: "GET",
    pattern: `${LHRS}/:id`,
    style: "v2",
    op: OP,
    handle: ({ ctx, env, caller, params }) =>
      v2Record(200, readLhr(env.state, caller.symbol, requireLbdId(params.id)).record, v2Format(ctx)),
  },
  {
    method: "PUT",
    pattern: `${LHRS}/:id`,
    style: "v2",
    op: OP,
    handle: async ({ ctx, env, caller, params }) => {
      const format = v2Format(ctx);
      const lhr = replaceLhr(env.state, caller.symbol, await readRecord(ctx, "v2"), requireLbdId(params.id));
      return v2Record(200, lhr.record, format);
    },
  },
  {
    method: "DELETE",
    pattern: `${LHRS}/:id`,
    style: "v2",
    op: OP,
    handle: ({ ctx, env, caller, params }) =>
      v2Record(200, deleteLhr(env.state, caller.symbol, requireLbdId(params.id)).record, v2Format(ctx)),
  },
  {
    method: "GET",
    pattern: "/worldcat/search/my-holdings",
    style: "v2",
    op: OP,
    handle: ({ ctx, env, caller }) => json(200, page(ctx, findMine(env.state, caller.symbol, ctx))),
  },
  {
    method: "GET",
    pattern: "/worldcat/search/my-holdings/:id",
    style: "v2",
    op: OP,
    handle: ({ env, caller, params }) =>
      json(200, detailedHolding(readLhr(env.state, caller.symbol, requireLbdId(params.id)))),
  },
  {
    method: "GET",
    pattern: "/worldcat/browse/my-holdings",
    style: "v2",
    op: OP,
    // The shelf list of one holding and shelving location in call number order, positioned at callNumber
    // (browsePosition entries before it).
    handle: ({ ctx, env, caller }) => {
      const holdingLocation = ctx.query.get("holdingLocation");
      const shelvingLocation = ctx.query.get("shelvingLocation");
      const callNumber = ctx.query.get("callNumber");
      if (!holdingLocation || !shelvingLocation || !callNumber)
        throw new BadRequestError("'callNumber', 'holdingLocation' and 'shelvingLocation' are required");
      const position = intParam(ctx.query.get("browsePosition"), "browsePosition", 0, 0, 50);
      const limit = intParam(ctx.query.get("limit"), "limit", 10, 1, 50);
      const shelf = [...env.state.lhrs.values()]
        .filter((l) => l.symbol === caller.symbol)
        .map((l) => ({ l, h: readHoldings(l.record) }))
        .filter(({ h }) => h.holdingLocation === holdingLocation && h.shelvingLocation === shelvingLocation)
        .sort((a, b) => (a.h.callNumber ?? "").localeCompare(b.h.callNumber ?? "") || a.l.id - b.l.id);
      const at = shelf.findIndex(({ h }) => (h.callNumber ?? "").localeCompare(callNumber) >= 0);
      const start = Math.max(0, (at < 0 ? shelf.length : at) - position);
      return json(200, {
        numberOfHoldings: shelf.length,
        detailedHoldings: shelf.slice(start, start + limit).map(({ l }) => detailedHolding(l)),
      });
    },
  },
  {
    method: "GET",
    pattern: "/worldcat/search/retained-holdings",
    style: "v2",
    op: OP,
    handle: ({ ctx, env, caller }) =>
      json(
        200,
        page(
          ctx,
          findMine(env.state, caller.symbol, ctx).filter(
            (l) => readHoldings(l.record).commitments.length > 0,
          ),
        ),
      ),
  },
];

/** The OCLC number of a query parameter, or undefined when absent; 400 when not a number. */
export function optionalOcn(ctx: RequestContext, name: string): number | undefined {
  const v = ctx.query.get(name);
  if (v === null || v === "") return undefined;
  if (parseOclcNumber(v) === undefined) throw new BadRequestError(`Invalid ${name}: '${v}'`);
  return requireOcn(v, name);
}
