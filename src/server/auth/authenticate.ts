/**
 * The authentication hook: `Authorization: Bearer <token>` (or the bare token, as in the seed's curl
 * example), else the session cookie. Cookie-authenticated writes must echo the session's CSRF token in the
 * `X-CSRF-Token` header (double submit: the same value is in the readable `nightshift_csrf` cookie).
 */
import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { ForbiddenError, UnauthenticatedError } from "../errors.js";
import { parseCookies } from "./cookies.js";
import type { Principal } from "./principal.js";
import { TOKEN_PREFIX } from "./secret-token.js";
import type { Sessions } from "./sessions.js";
import type { UserDirectory } from "./users.js";

export const SESSION_COOKIE = "nightshift_session";
export const CSRF_COOKIE = "nightshift_csrf";
export const CSRF_HEADER = "x-csrf-token";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function bearer(header: string): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match) return match[1];
  const bare = header.trim();
  return bare.startsWith(TOKEN_PREFIX) && !/\s/.test(bare) ? bare : undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Resolves the caller or throws 401/403 (never anything else). */
export async function authenticate(
  request: FastifyRequest,
  users: UserDirectory,
  sessions: Sessions,
): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const token = bearer(header);
    if (!token) throw new UnauthenticatedError("unsupported Authorization header: use 'Bearer <token>'");
    const found = await users.checkToken(token);
    if (found && "expired" in found)
      throw new UnauthenticatedError(`API token expired at ${found.expired}: ask for a new one`);
    if (!found) throw new UnauthenticatedError("invalid or revoked API token");
    return { user: found.user, via: "token", tokenId: found.tokenId };
  }
  const cookie = parseCookies(request.headers.cookie)[SESSION_COOKIE];
  if (!cookie) throw new UnauthenticatedError();
  const session = await sessions.find(cookie);
  if (!session) throw new UnauthenticatedError("session expired or logged out: log in again");
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== "string" || !sameSecret(sent, session.csrfToken)) {
      throw new ForbiddenError(
        `CSRF token missing or invalid: cookie-authenticated writes must send the '${CSRF_HEADER}' header with the value of the '${CSRF_COOKIE}' cookie`,
      );
    }
  }
  return { user: session.user, via: "session", csrfToken: session.csrfToken, sessionCookie: cookie };
}
