/** Metadata API 2.0: /worldcat/manage/institution (holdings set/unset/current, holding codes). */
import { oclcNumberOf, parseOclcNumber } from "../../marc/oclc-number.js";
import { requireOcn } from "../domain/bib-ops.js";
import { currentHoldings, type HoldingResult, setHolding, unsetHolding } from "../domain/holding-ops.js";
import type { Caller } from "../domain/institution.js";
import { requestMove } from "../domain/move.js";
import { BadRequestError } from "../errors.js";
import type { RequestContext } from "../http/context.js";
import { booleanParam } from "../http/params.js";
import { json } from "../http/reply.js";
import type { Route } from "../http/router.js";
import { readRecord } from "./record-body.js";

/** A JSON object body (the move request); 400 when it is not one. */
async function jsonBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const text = (await ctx.body()).toString("utf8");
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new BadRequestError("The body must be a JSON object with sourceOclcNumber and targetOclcNumber");
}

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

const cascadeOf = (ctx: RequestContext) => booleanParam(ctx, "cascadeDelete", true);

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
    pattern: `${INST}/holdings/move`,
    style: "v2",
    op: "manage_institution_holdings",
    handle: async ({ ctx, env, caller }) => {
      const body = await jsonBody(ctx);
      const from = requireOcn(String(body.sourceOclcNumber ?? ""), "sourceOclcNumber");
      const to = requireOcn(String(body.targetOclcNumber ?? ""), "targetOclcNumber");
      const move = requestMove(env.state, caller.symbol, from, to, env.moveDelayMs);
      return json(202, {
        sourceOclcNumber: String(move.from),
        targetOclcNumber: String(move.to),
        institutionSymbol: caller.symbol,
        success: true,
        message: "Holdings move request accepted",
        action: "Move Holdings",
      });
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
    // As the live service sends it: the two fields the other way round from the documents, the description
    // in `code` and the four-letter code in `name` (our client reads both, see src/worldcat/api/holdings.ts).
    handle: ({ caller }) =>
      json(200, {
        holdingLibraryCodes: caller.account.holdingCodes.map((c) => ({ code: c.name, name: c.code })),
      }),
  },
];
