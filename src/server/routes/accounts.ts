/** The service accounts (admin): never a secret. */
import type { FastifyInstance } from "fastify";
import { accountReports } from "../../doctor/accounts.js";
import { requireAdmin } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";

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
}
