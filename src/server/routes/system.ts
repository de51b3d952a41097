import { describeDisk } from "../../engine/disk.js";
/** Health, readiness, Prometheus metrics, the OpenAPI document and the API page. */

import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import { requireAdmin } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";
import { UnavailableError } from "../errors.js";
import { apiPage } from "../openapi/page.js";
import { ref } from "../openapi/schemas.js";

/** A 200 that is plain JSON (not a HAL resource). */
const plainJson = (description: string, schema: Record<string, unknown> = { type: "object" }) => ({
  description,
  contentType: "application/json",
  schema,
});

export function systemRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  openApi: () => ReturnType<typeof import("../openapi/document.js").openApiDocument>,
): void {
  app.get(
    "/healthz",
    {
      config: {
        auth: "public",
        openapi: {
          summary: "Liveness: the server answers",
          tags: ["system"],
          responses: { "200": plainJson('{"status":"ok"}', ref("Health")) },
        },
      },
    },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/readyz",
    {
      config: {
        auth: "public",
        openapi: {
          summary: "Readiness: the database answers and the dispatcher runs",
          tags: ["system"],
          responses: { "200": plainJson("ready", ref("Ready")), "503": "not ready" },
        },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(ctx.engine.store.db);
      } catch (err) {
        throw new UnavailableError(`database not available: ${(err as Error).message}`);
      }
      if (!ctx.options.ready()) throw new UnavailableError("the dispatcher is not running");
      const disk = ctx.engine.disk.check();
      if (!disk.ok) throw new UnavailableError(`disk full: ${describeDisk(disk, ctx.engine.config.dataDir)}`);
      return { status: "ready", checks: { database: "ok", dispatcher: "ok", disk: "ok" } };
    },
  );

  app.get(
    "/metrics",
    {
      config: {
        openapi: {
          summary: "Prometheus metrics (admin): processes by status, queue depth, durations",
          tags: ["system"],
          responses: {
            "200": {
              description: "text format 0.0.4",
              contentType: "text/plain",
              schema: { type: "string" },
            },
            "403": "not an admin",
          },
        },
      },
    },
    async (request, reply) => {
      requireAdmin(principalOf(request), "read metrics");
      const text = await ctx.metrics.render(ctx.engine.store, ctx.engine.clock.now());
      return reply.type("text/plain; version=0.0.4; charset=utf-8").send(text);
    },
  );

  app.get(
    "/api/openapi.json",
    {
      config: {
        auth: "public",
        openapi: {
          summary: "This API as OpenAPI 3.1",
          tags: ["system"],
          responses: {
            "200": plainJson("the OpenAPI document", {
              type: "object",
              required: ["openapi", "info", "paths", "components"],
            }),
          },
        },
      },
    },
    async () => openApi(),
  );

  app.get(
    "/api",
    {
      config: {
        auth: "public",
        openapi: {
          summary: "This API, human-readable",
          tags: ["system"],
          responses: { "200": { description: "HTML", contentType: "text/html", schema: { type: "string" } } },
        },
      },
    },
    async (_request, reply) => reply.type("text/html; charset=utf-8").send(apiPage(openApi())),
  );
}
