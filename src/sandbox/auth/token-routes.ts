/**
 * The two token servers: current client credentials (`POST /token`, HTTP Basic, scopes with optional
 * `context:<registryId>`) and legacy (`POST /oauth2/accessToken`, HMAC-signed, institution ids in the query).
 */
import { randomBytes } from "node:crypto";
import type { SandboxAccount } from "../accounts.js";
import { UMBRELLA_SCOPE } from "../domain/institution.js";
import { BadRequestError, ForbiddenError, UnauthorizedError } from "../errors.js";
import type { RequestContext } from "../http/context.js";
import { json, type Reply } from "../http/reply.js";
import type { TokenInfo } from "../state.js";
import { isHmacHeader } from "./hmac-header.js";
import { type HmacCheck, verifyHmac } from "./verify-hmac.js";

export interface TokenServer extends HmacCheck {
  readonly tokenTtlSeconds: number;
}

function grantable(account: SandboxAccount, scope: string): boolean {
  return (
    account.scopes.includes(scope) ||
    (scope.startsWith(`${UMBRELLA_SCOPE}:`) && account.scopes.includes(UMBRELLA_SCOPE))
  );
}

/** Splits the scope list, checks each against the account, and finds the context institution. */
function grant(account: SandboxAccount, scopeText: string | null, contextId: string | null) {
  const parts = (scopeText ?? "").split(/[\s+]+/).filter((s) => s !== "");
  if (parts.length === 0) throw new BadRequestError("Missing required parameter: scope", "BAD_REQUEST");
  let context = contextId ?? account.registryId;
  const scopes: string[] = [];
  const invalid: string[] = [];
  for (const s of parts) {
    if (s.startsWith("context:")) context = s.slice("context:".length);
    else if (s === "refresh_token") continue;
    else if (grantable(account, s)) scopes.push(s);
    else invalid.push(s);
  }
  // A consortium's key may act for the member institutions it lists in `contexts`.
  if (context !== account.registryId && !account.contexts.includes(context))
    invalid.push(`context:${context}`);
  if (invalid.length > 0) throw new ForbiddenError(`Invalid scope(s): ${invalid.join(" ")}`);
  return { scopes, context };
}

function issue(
  server: TokenServer,
  account: SandboxAccount,
  scopes: string[],
  context: string,
  extra: Record<string, unknown>,
): Reply {
  const token = `tk_${randomBytes(27).toString("base64url")}`;
  const now = server.state.now();
  const expiresAt = now + server.tokenTtlSeconds * 1000;
  const info: TokenInfo = {
    token,
    accountKey: account.key,
    scopes,
    registryId: context,
    expiresAt,
    principalID: account.principalID,
    principalIDNS: account.principalIDNS,
  };
  server.state.tokens.set(token, info);
  return json(200, {
    access_token: token,
    token_type: "bearer",
    expires_in: server.tokenTtlSeconds,
    expires_at: `${new Date(expiresAt).toISOString().slice(0, 19).replace("T", " ")}Z`,
    authenticating_institution_id: account.registryId,
    context_institution_id: context,
    principalID: account.principalID,
    principalIDNS: account.principalIDNS,
    scope: scopes.join(" "),
    scopes: scopes.join(" "),
    ...extra,
  });
}

/** Form fields may come in the query (as OCLC documents) or in an urlencoded body. */
async function params(ctx: RequestContext): Promise<URLSearchParams> {
  const body = (await ctx.body()).toString("utf8");
  const merged = new URLSearchParams(ctx.query);
  if (/application\/x-www-form-urlencoded/i.test(ctx.headers["content-type"] ?? ""))
    for (const [k, v] of new URLSearchParams(body)) merged.set(k, v);
  return merged;
}

export async function currentToken(server: TokenServer, ctx: RequestContext): Promise<Reply> {
  const p = await params(ctx);
  const m = /^basic\s+(.+)$/i.exec(ctx.headers.authorization ?? "");
  if (!m) throw new UnauthorizedError("No valid authentication credentials found in request");
  const decoded = Buffer.from(m[1].trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const account = server.accounts.get(decoded.slice(0, colon));
  if (colon < 0 || !account || account.secret !== decoded.slice(colon + 1))
    throw new UnauthorizedError("No valid authentication credentials found in request");
  if (p.get("grant_type") !== "client_credentials")
    throw new BadRequestError(`Unsupported grant_type '${p.get("grant_type") ?? ""}'`, "BAD_REQUEST");
  const { scopes, context } = grant(account, p.get("scope"), null);
  return issue(server, account, scopes, context, {});
}

export async function legacyToken(server: TokenServer, ctx: RequestContext): Promise<Reply> {
  await ctx.body();
  const header = ctx.headers.authorization ?? "";
  if (!isHmacHeader(header))
    throw new UnauthorizedError("No valid authentication credentials found in request");
  const account = verifyHmac(server, header, ctx.method, ctx.rawUrl);
  const q = ctx.query;
  if (q.get("grant_type") !== "client_credentials")
    throw new BadRequestError(`Unsupported grant_type '${q.get("grant_type") ?? ""}'`, "BAD_REQUEST");
  const auth = q.get("authenticatingInstitutionId");
  if (auth !== null && auth !== account.registryId)
    throw new ForbiddenError(`authenticatingInstitutionId ${auth} is not this WSKey's institution`);
  const { scopes, context } = grant(account, q.get("scope"), q.get("contextInstitutionId"));
  return issue(server, account, scopes, context, {});
}
