/** The first Metadata API's holdings: /ih/data (set, unset) and /bib/holdinglibraries (codes). */

import { escapeXml } from "../../marc/xml/escape.js";
import { requireOcn } from "../domain/bib-ops.js";
import { setHolding, unsetHolding } from "../domain/holding-ops.js";
import { BadRequestError } from "../errors.js";
import { RESPONSE_NS } from "../http/error-bodies.js";
import { empty, xml } from "../http/reply.js";
import type { Route } from "../http/router.js";

const escapeText = (s: string) => escapeXml(s, true);

import { checkHoldingCode, checkInstitution } from "./v1-common.js";

function ocnParam(value: string | null): number {
  if (value === null || value === "") throw new BadRequestError("Required parameter 'oclcNumber' is missing");
  return requireOcn(value);
}

export const v1HoldingRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/ih/data",
    style: "v1",
    op: "manage_institution_holdings",
    handle: async ({ ctx, env, caller }) => {
      await ctx.body();
      checkInstitution(ctx, caller);
      checkHoldingCode(ctx, caller);
      setHolding(env.state, caller.symbol, ocnParam(ctx.query.get("oclcNumber")), true);
      return empty(200);
    },
  },
  {
    method: "DELETE",
    pattern: "/ih/data",
    style: "v1",
    op: "manage_institution_holdings",
    handle: async ({ ctx, env, caller }) => {
      await ctx.body();
      checkInstitution(ctx, caller);
      checkHoldingCode(ctx, caller);
      const cascade = ctx.query.get("cascade") ?? "0";
      if (cascade !== "0" && cascade !== "1")
        throw new BadRequestError(`cascade must be 0 or 1; got '${cascade}'`);
      unsetHolding(env.state, caller.symbol, ocnParam(ctx.query.get("oclcNumber")), cascade === "1", true);
      return empty(200);
    },
  },
  {
    method: "GET",
    pattern: "/bib/holdinglibraries",
    style: "v1",
    op: "manage_institution_holdings",
    handle: ({ ctx, caller }) => {
      checkInstitution(ctx, caller);
      const items = caller.account.holdingCodes.map(
        (c) =>
          `  <holdingLibrary><code>${escapeText(c.code)}</code><name>${escapeText(c.name)}</name></holdingLibrary>`,
      );
      const body =
        `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
        `<holdingLibraries xmlns="${RESPONSE_NS}" instSymbol="${escapeText(caller.symbol)}">\n${items.join("\n")}\n</holdingLibraries>\n`;
      return xml(200, body);
    },
  },
];
