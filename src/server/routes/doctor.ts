/** The doctor's findings over HTTP (admin): what `nightshift doctor` prints, as JSON. */
import type { FastifyInstance } from "fastify";
import { runDoctor } from "../../doctor/index.js";
import { requireAdmin } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";

export function doctorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { probe?: boolean } }>(
    "/api/system/doctor",
    {
      schema: {
        querystring: {
          type: "object",
          properties: {
            probe: {
              type: "boolean",
              default: false,
              description: "also run the permission probe for every account (as `doctor --probe`; slow)",
            },
          },
        },
      },
      config: {
        openapi: {
          summary:
            "The doctor's findings (admin): secrets, accounts, schedules, triggers, channels — as `nightshift doctor --json`",
          tags: ["system"],
          responses: {
            "200": {
              description: "the findings, errors first",
              contentType: "application/json",
              schema: {
                type: "object",
                required: ["findings"],
                properties: {
                  findings: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["severity", "code", "where", "message", "fix"],
                      properties: {
                        severity: { type: "string", enum: ["error", "warning"] },
                        code: { type: "string" },
                        where: { type: "string" },
                        message: { type: "string" },
                        fix: { type: "string" },
                      },
                    },
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
      requireAdmin(principalOf(request), "see the doctor's findings");
      const findings = await runDoctor(ctx.engine.config, {
        env: ctx.options.accountEnv,
        probe: request.query.probe === true,
      });
      return { findings };
    },
  );
}
