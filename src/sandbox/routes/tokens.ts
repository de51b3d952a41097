/** The token servers' routes (no Bearer auth: they are where tokens come from). */
import { currentToken, legacyToken } from "../auth/token-routes.js";
import type { Route } from "../http/router.js";

export const tokenRoutes: Route[] = [
  { method: "POST", pattern: "/token", style: "token", handle: ({ ctx, env }) => currentToken(env, ctx) },
  {
    method: "POST",
    pattern: "/oauth2/accessToken",
    style: "legacy-token",
    handle: ({ ctx, env }) => legacyToken(env, ctx),
  },
];
