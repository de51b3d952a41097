/** What the first API's routes share: the institution parameters and the Atom id URLs. */
import type { Caller } from "../domain/institution.js";
import { BadRequestError, ForbiddenError } from "../errors.js";
import type { RequestContext } from "../http/context.js";

/** `inst` (registry id) and `instSymbol`, when given, must be the caller's own institution. */
export function checkInstitution(ctx: RequestContext, caller: Caller): void {
  const inst = ctx.query.get("inst");
  if (inst !== null && inst !== "" && inst !== caller.registryId)
    throw new ForbiddenError(
      `inst ${inst} is not the institution of these credentials (${caller.registryId})`,
    );
  const sym = ctx.query.get("instSymbol");
  if (sym !== null && sym !== "" && sym !== caller.symbol)
    throw new ForbiddenError(
      `instSymbol ${sym} is not the institution of these credentials (${caller.symbol})`,
    );
}

/** `holdingLibraryCode`, when given, must be one of the institution's codes. */
export function checkHoldingCode(ctx: RequestContext, caller: Caller): void {
  const code = ctx.query.get("holdingLibraryCode");
  if (code === null || code === "") return;
  if (!caller.account.holdingCodes.some((c) => c.code === code))
    throw new BadRequestError(
      `holdingLibraryCode ${code} is not one of ${caller.symbol}'s codes (${caller.account.holdingCodes.map((c) => c.code).join(", ")})`,
    );
}

export const bibUrl = (ocn: number) => `http://worldcat.org/oclc/${ocn}`;
export const lbdUrl = (id: number) => `http://worldcat.org/lbd/data/${id}`;
