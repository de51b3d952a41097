/** Password login (session cookie + CSRF token), logout, and who am I. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CSRF_COOKIE, SESSION_COOKIE } from "../auth/authenticate.js";
import { serializeCookie } from "../auth/cookies.js";
import { createLoginThrottle } from "../auth/login-throttle.js";
import type { Principal } from "../auth/principal.js";
import { principalOf, type ServerContext } from "../context.js";
import { TooManyRequestsError, UnauthenticatedError } from "../errors.js";
import { origin } from "../hal.js";
import { ref } from "../openapi/schemas.js";

const loginBody = {
  type: "object",
  required: ["name", "password"],
  additionalProperties: false,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 64 },
    password: { type: "string", minLength: 1, maxLength: 1024 },
  },
} as const;

function meView(request: FastifyRequest, p: Principal) {
  return {
    userId: p.user.id,
    name: p.user.name,
    role: p.user.role,
    authenticatedBy: p.via,
    ...(p.csrfToken ? { csrfToken: p.csrfToken } : {}),
    _links: { self: { href: `${origin(request)}/api/auth/me` } },
  };
}

/** Secure when the request came over TLS (or X-Forwarded-Proto https with trustProxy on). */
function cookies(
  request: FastifyRequest,
  reply: FastifyReply,
  session: string,
  csrf: string,
  maxAge: number,
) {
  const secure = request.protocol === "https";
  reply.header("set-cookie", [
    serializeCookie(SESSION_COOKIE, session, { httpOnly: true, secure, sameSite: "Lax", maxAge }),
    // Readable by the page's script: it echoes the value in the X-CSRF-Token header (double submit).
    serializeCookie(CSRF_COOKIE, csrf, { httpOnly: false, secure, sameSite: "Lax", maxAge }),
  ]);
}

/**
 * The address failed logins are counted under. Behind a proxy (trustProxy) `request.ip` is the leftmost
 * X-Forwarded-For entry, which the client writes itself: a guesser could rotate it to escape the per-address
 * limit. The entry the nearest proxy appended (the peer it saw) cannot be forged, so that one is used.
 */
export function throttleAddress(request: FastifyRequest): string {
  const ips = request.ips;
  return ips && ips.length > 1 ? ips[1] : request.ip;
}

export function authRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const throttle = createLoginThrottle();
  app.post<{ Body: { name: string; password: string } }>(
    "/api/auth/login",
    {
      schema: { body: loginBody },
      config: {
        auth: "public",
        openapi: {
          summary: "Log in with a password: sets the session cookie and returns the CSRF token",
          tags: ["auth"],
          responses: {
            "200": { description: "logged in", schema: ref("Me") },
            "400": "malformed body",
            "401": "wrong name or password",
            "429": "too many failed logins for this name or address: wait Retry-After seconds",
          },
        },
      },
    },
    async (request, reply) => {
      const { name } = request.body;
      const address = throttleAddress(request);
      const attempt = throttle.begin(name, address);
      if (attempt.retryAfterMs > 0) {
        const seconds = Math.ceil(attempt.retryAfterMs / 1000);
        reply.header("retry-after", String(seconds));
        throw new TooManyRequestsError(`too many failed logins: try again in ${seconds} s`, seconds);
      }
      const user = await ctx.users.byPassword(name, request.body.password);
      if (!user) throw new UnauthenticatedError("wrong user name or password");
      attempt.succeeded();
      const session = await ctx.sessions.open(user.id);
      cookies(request, reply, session.cookie, session.csrfToken, ctx.sessions.ttlMs / 1000);
      return meView(request, { user, via: "session", csrfToken: session.csrfToken });
    },
  );

  app.post(
    "/api/auth/logout",
    {
      config: {
        openapi: {
          summary: "End the session (cookie-authenticated: send X-CSRF-Token)",
          tags: ["auth"],
          responses: { "204": "logged out", "401": "not logged in", "403": "CSRF token missing" },
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      if (p.sessionCookie) await ctx.sessions.close(p.sessionCookie);
      cookies(request, reply, "", "", 0);
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/auth/me",
    {
      config: {
        openapi: {
          summary: "The caller: user id, name, role (and the CSRF token of a session)",
          tags: ["auth"],
          responses: { "200": { description: "the caller", schema: ref("Me") }, "401": "not authenticated" },
        },
      },
    },
    async (request) => meView(request, principalOf(request)),
  );
}
