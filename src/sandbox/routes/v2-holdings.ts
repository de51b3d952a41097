/** Metadata API 2.0: /worldcat/manage/institution (holdings set/unset/current, holding codes). */
import { oclcNumberOf, parseOclcNumber } from "../../marc/oclc-number.js";
import { requireOcn } from "../domain/bib-ops.js";
import { currentHoldings, type HoldingResult, setHolding, unsetHolding } from "../domain/holding-ops.js";
import type { Caller } from "../domain/institution.js";
import { BadRequestError } from "../errors.js";
import type { RequestContext } from "../http/context.js";
import { json } from "../http/reply.js";
import type { Route } from "../http/router.js";
import { readRecord } from "./record-body.js";

const INST = "/worldcat/manage/institution";

function body(caller: Caller, r: HoldingResult, set: boolean) {
  const what = set ? "set" : "unset";
  return {
    controlNumber: String(r.controlNumber),
    requestedControlNumber: String(r.requested),
    institutionCode: caller.registryId,
    institutionSymbol: caller.symbol,
    firstTimeUse: false,
    success: true,
    message: r.changed ? "Holding Updated Successfully" : `WorldCat Holding already ${what}.`,
    action: set ? "Set Holdings" : "Unset Holdings",
  };
}

function cascadeOf(ctx: RequestContext): boolean {
  const v = ctx.query.get("cascadeDelete");
  if (v === null || v === "true") return true;
  if (v === "false") return false;
  throw new BadRequestError(`cascadeDelete must be true or false; got '${v}'`);
}

/** Number from the MARC body: 001 or 035 (OCoLC). */
async function numberFromBody(ctx: RequestContext): Promise<number> {
  const found = oclcNumberOf(await readRecord(ctx, "v2"));
  const n = found && parseOclcNumber(found.number);
  if (!n)
    throw new BadRequestError("The record has no OCLC number in 001 or 035", "BAD_REQUEST", "Bad Request");
  return Number(n);
}

export const v2HoldingRoutes: Route[] = [
  {
    method: "GET",
    pattern: `${INST}/holdings/current`,
    style: "v2",
    op: "manage_institution_holdings",
    handle: ({ ctx, env, caller }) =>
      json(200, { holdings: currentHoldings(env.state, caller.symbol, ctx.query.get("oclcNumbers")) }),
  },
  {
    method: "POST",
    pattern: `${INST}/holdings/set`,
    style: "v2",
    op: "manage_institution_holdings",
    handle: async ({ ctx, env, caller }) =>
      json(200, body(caller, setHolding(env.state, caller.symbol, await numberFromBody(ctx), false), true)),
  },
  {
    method: "POST",
    pattern: `${INST}/holdings/unset`,
    style: "v2",
    op: "manage_institution_holdings",
    handle: async ({ ctx, env, caller }) => {
      const r = unsetHolding(env.state, caller.symbol, await numberFromBody(ctx), cascadeOf(ctx), false);
      return json(200, body(caller, r, false));
    },
  },
  {
    method: "POST",
    pattern: `${INST}/holdings/:ocn/set`,
    style: "v2",
    op: "manage_institution_holdings",
    handle: ({ env, caller, params }) =>
      json(200, body(caller, setHolding(env.state, caller.symbol, requireOcn(params.ocn), false), true)),
  },
  {
    method: "POST",
    pattern: `${INST}/holdings/:ocn/unset`,
    style: "v2",
    op: "manage_institution_holdings",
    handle: ({ ctx, env, caller, params }) => {
      const r = unsetHolding(env.state, caller.symbol, requireOcn(params.ocn), cascadeOf(ctx), false);
      return json(200, body(caller, r, false));
    },
  },
  {
    method: "GET",
    pattern: `${INST}/holding-codes`,
    style: "v2",
    op: "manage_institution_holdings",
    // As the reference documents it: `code` is the holding library code, `name` its description. (Some
    // clients report WorldCat swapping the two; our client accepts either, see src/worldcat/api/holdings.ts.)
    handle: ({ caller }) =>
      json(200, {
        holdingLibraryCodes: caller.account.holdingCodes.map((c) => ({ code: c.code, name: c.name })),
      }),
  },
];
