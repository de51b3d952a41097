/** The users (admin): who started a process, by name, for the UI's user filter. Never a secret. */
import type { FastifyInstance } from "fastify";
import { requireAdmin } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";

export function userRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get(
    "/api/auth/users",
    {
      config: {
        openapi: {
          summary: "The users: id, name, role (admin)",
          tags: ["auth"],
          responses: {
            "200": {
              description: '{"users":[{"userId","name","role"}]}',
              contentType: "application/json",
              schema: {
                type: "object",
                required: ["users"],
                properties: {
                  users: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["userId", "name", "role"],
                      properties: {
                        userId: { type: "string" },
                        name: { type: "string" },
                        role: { type: "string", enum: ["admin", "operator", "viewer"] },
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
    async (request, reply) => {
      requireAdmin(principalOf(request), "list users");
      const users = (await ctx.users.list()).map((u) => ({ userId: u.id, name: u.name, role: u.role }));
      return reply.type("application/json").send({ users });
    },
  );
}
