/** The service accounts (admin): never a secret; "check access" runs the permission probe of one. */
import type { FastifyInstance } from "fastify";
import { accountReports } from "../../doctor/accounts.js";
import { checkAccount } from "../../doctor/check-account.js";
import { AccountConfigError } from "../../worldcat/errors.js";
import { requireAdmin } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";
import { NotFoundError, UnprocessableError } from "../errors.js";

const nameParams = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", minLength: 1, maxLength: 80, description: "account name" } },
} as const;

export function accountRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    "/api/system/accounts",
    {
      config: {
        openapi: {
          summary:
            "The service accounts (admin): auth, institution, scopes, SANDBOX/PRODUCTION, who uses them, last use and error; never a secret",
          tags: ["system"],
          responses: {
            "200": {
              description: "the accounts",
              contentType: "application/json",
              schema: {
                type: "object",
                required: ["accounts"],
                properties: {
                  accounts: {
                    type: "array",
                    items: { type: "object", required: ["name", "auth", "environment", "scopes", "usedBy"] },
                  },
                },
              },
            },
            "403": "not an admin",
          },
        },
      },
    },
    async (request) => {
      requireAdmin(principalOf(request), "see the service accounts");
      return { accounts: await accountReports(ctx.engine.config, ctx.engine.store.db) };
    },
  );

  app.post<{ Params: { name: string } }>(
    "/api/system/accounts/:name/check",
    {
      schema: { params: nameParams },
      config: {
        openapi: {
          summary:
            "Check access (admin): the permission probe of `nightshift worldcat check` for one account — a token, then one harmless call per operation (nothing is created or changed); and what its bound scripts need that it may not do",
          tags: ["system"],
          responses: {
            "200": {
              description: "the probe's report (a refused token is reported in tokenError, not as an error)",
              contentType: "application/json",
              schema: {
                type: "object",
                required: ["account", "sandbox", "results", "scripts", "checkedAt"],
                properties: {
                  account: { type: "string" },
                  sandbox: { type: "boolean" },
                  checkedAt: { type: "string" },
                  tokenError: { type: "string" },
                  token: { type: "object" },
                  results: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["operation", "verdict", "evidence"],
                      properties: {
                        operation: { type: "string" },
                        verdict: { type: "string", enum: ["yes", "no", "unknown"] },
                        evidence: { type: "string" },
                      },
                    },
                  },
                  scripts: {
                    type: "array",
                    items: { type: "object", required: ["script", "needs", "denied"] },
                  },
                },
              },
            },
            "403": "not an admin",
            "404": "no such account",
            "422": "the account cannot be used as configured (e.g. its secret's variable is not set)",
          },
        },
      },
    },
    async (request) => {
      requireAdmin(principalOf(request), "check a service account");
      const { name } = request.params;
      const config = ctx.engine.config;
      if (!Object.hasOwn(config.accounts, name)) {
        const known = Object.keys(config.accounts);
        throw new NotFoundError(
          `no service account '${name}'${known.length ? ` (known: ${known.join(", ")})` : ""}`,
        );
      }
      try {
        return await checkAccount(
          config,
          name,
          ctx.options.accountEnv,
          () => new Date(ctx.engine.clock.now()),
        );
      } catch (err) {
        // The account's own configuration (a secret's variable not set, a bad URL): said as it is, no secret.
        if (err instanceof AccountConfigError) throw new UnprocessableError(err.message);
        throw err;
      }
    },
  );
}
