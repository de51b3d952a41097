/**
 * Who is calling an API endpoint: a Bearer token issued by this sandbox (unexpired) or an HMAC-signed
 * request (the first API's way). Scope checks follow, per operation.
 */
import type { SandboxAccount } from "../accounts.js";
import { institutionById } from "../domain/directory.js";
import { type Caller, hasScope, type Operation } from "../domain/institution.js";
import { ForbiddenError, UnauthorizedError } from "../errors.js";
import type { RequestContext } from "../http/context.js";
import { isHmacHeader } from "./hmac-header.js";
import { type HmacCheck, verifyHmac } from "./verify-hmac.js";

export function authenticate(check: HmacCheck, ctx: RequestContext): Caller {
  const header = ctx.headers.authorization;
  if (!header) throw new UnauthorizedError("No valid authentication credentials found in request");
  if (/^bearer\s+/i.test(header)) {
    const token = header.replace(/^bearer\s+/i, "").trim();
    const info = check.state.tokens.get(token);
    if (!info) throw new UnauthorizedError(`AccessToken {${token.slice(0, 6)}...} is invalid`);
    if (info.expiresAt <= check.state.now())
      throw new UnauthorizedError("The access token provided is expired");
    const account = check.accounts.get(info.accountKey) as SandboxAccount;
    // Acting in another institution's context (a consortium's key): that institution's symbol.
    const symbol =
      info.registryId === account.registryId
        ? account.symbol
        : (institutionById(check.accounts, info.registryId)?.symbol ?? account.symbol);
    return { account, registryId: info.registryId, symbol, scopes: info.scopes };
  }
  if (isHmacHeader(header)) {
    const account = verifyHmac(check, header, ctx.method, ctx.rawUrl);
    return { account, registryId: account.registryId, symbol: account.symbol, scopes: account.scopes };
  }
  throw new UnauthorizedError("Unsupported Authorization scheme; use Bearer or the WSKey v2 HMAC signature");
}

export function requireScope(caller: Caller, op: Operation): void {
  if (!hasScope(caller.scopes, op))
    throw new ForbiddenError(
      `The credentials lack the scope WorldCatMetadataAPI:${op} needed for this operation`,
      `WorldCatMetadataAPI:${op}`,
    );
}
