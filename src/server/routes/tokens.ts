/**
 * Self-service API tokens (issue 15): a user lists, creates and revokes their own tokens; an admin may
 * revoke anyone's. A token's secret is shown once, on creation, and never again. Revoking one takes effect
 * at the server's next request (the directory forgets what it had verified).
 */
import type { FastifyInstance } from "fastify";
import { InvalidUserError } from "../auth/errors.js";
import { parseTokenExpiry } from "../auth/token-expiry.js";
import type { ApiToken } from "../auth/users.js";
import { principalOf, type ServerContext } from "../context.js";
import { MalformedRequestError, NotFoundError } from "../errors.js";

const tokenSchema = {
  type: "object",
  required: ["id", "label", "createdAt", "expiresAt", "lastUsedAt"],
  properties: {
    id: { type: "integer" },
    label: { type: ["string", "null"] },
    createdAt: { type: "string" },
    expiresAt: { type: ["string", "null"], description: "null: it does not expire" },
    lastUsedAt: { type: ["string", "null"], description: "recorded at most once a minute" },
  },
} as const;

const createBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    label: { type: "string", maxLength: 200 },
    expires: { type: "string", maxLength: 64, description: "a duration from now (90d, 12h, 2w) or a date" },
  },
} as const;

const idParams = {
  type: "object",
  required: ["tokenId"],
  properties: { tokenId: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

const view = (t: ApiToken) => ({
  id: t.id,
  label: t.label,
  createdAt: t.createdAt,
  expiresAt: t.expiresAt,
  lastUsedAt: t.lastUsedAt,
});

export function tokenRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    "/api/auth/tokens",
    {
      config: {
        openapi: {
          summary: "Your API tokens: id, label, created, expires, last used (never the token)",
          tags: ["auth"],
          responses: {
            "200": {
              description: '{"tokens":[...]}',
              contentType: "application/json",
              schema: {
                type: "object",
                required: ["tokens"],
                properties: { tokens: { type: "array", items: tokenSchema } },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const tokens = await ctx.users.tokensOf(principalOf(request).user.id);
      return reply.type("application/json").send({ tokens: tokens.map(view) });
    },
  );

  app.post<{ Body: { label?: string; expires?: string } }>(
    "/api/auth/tokens",
    {
      schema: { body: createBody },
      config: {
        openapi: {
          summary: "A new API token of your own; its secret is in this answer only",
          tags: ["auth"],
          responses: {
            "201": {
              description: "the token (shown once) and its record",
              contentType: "application/json",
              schema: {
                type: "object",
                required: [...tokenSchema.required, "token"],
                properties: { ...tokenSchema.properties, token: { type: "string" } },
              },
            },
            "400": "a bad label or expiry",
          },
        },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const me = principalOf(request).user;
      try {
        const expiresAt = body.expires === undefined ? undefined : parseTokenExpiry(body.expires);
        const { token, record } = await ctx.users.createToken(me.name, { label: body.label, expiresAt });
        return reply
          .code(201)
          .type("application/json")
          .send({ ...view(record), token });
      } catch (err) {
        if (err instanceof InvalidUserError)
          throw new MalformedRequestError(err.message, [{ parameter: "body.expires", message: err.message }]);
        throw err;
      }
    },
  );

  app.delete<{ Params: { tokenId: number } }>(
    "/api/auth/tokens/:tokenId",
    {
      schema: { params: idParams },
      config: {
        openapi: {
          summary: "Revokes an API token: yours (an admin: anyone's); refused from the next request on",
          tags: ["auth"],
          responses: {
            "204": "revoked",
            "400": "a token id that is not a number",
            "404": "no such token of yours",
          },
        },
      },
    },
    async (request, reply) => {
      const { user } = principalOf(request);
      const id = request.params.tokenId;
      const token = await ctx.users.token(id);
      // Another user's token is "not found" to a non-admin: its existence is not theirs to learn.
      if (!token || (token.userId !== user.id && user.role !== "admin") || !(await ctx.users.revokeToken(id)))
        throw new NotFoundError(`no API token ${id} of yours`);
      return reply.code(204).send();
    },
  );
}
