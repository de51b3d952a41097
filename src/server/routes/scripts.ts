/** The scripts the caller may run. */
import type { FastifyInstance } from "fastify";
import type { ScriptDefinition } from "../../engine/script.js";
import { mayRun, requireRun } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";
import { NotFoundError } from "../errors.js";
import { origin, pagedBody } from "../hal.js";
import { ref } from "../openapi/schemas.js";
import { type PagingQuery, pagingProperties, sortList, sortProperty } from "../paging.js";
import { scriptView } from "../views/script-view.js";

export const nameParams = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", description: "script name" } },
} as const;

const SCRIPT_SORT = { name: (s: ScriptDefinition) => s.name } as const;

export function scriptRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: PagingQuery }>(
    "/api/system/scripts",
    {
      schema: {
        querystring: {
          type: "object",
          properties: {
            page: pagingProperties.page,
            size: pagingProperties.size,
            sort: sortProperty(Object.keys(SCRIPT_SORT)),
          },
        },
      },
      config: {
        openapi: {
          summary: "The scripts the caller may run (paged)",
          tags: ["scripts"],
          responses: {
            "200": { description: "paged scripts", schema: ref("ScriptPage") },
            "400": "bad paging",
            "401": "not authenticated",
          },
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { page, size, sort } = request.query;
      const runnable = ctx.engine.scripts.list().filter((s) => mayRun(p, s.name, ctx.engine.config.scripts));
      const all = sortList(runnable, sort, SCRIPT_SORT);
      const items = all.slice(page * size, page * size + size).map((s) => scriptView(s, origin(request)));
      return pagedBody(request, "scripts", items, { page, size, total: all.length });
    },
  );

  app.get<{ Params: { name: string } }>(
    "/api/system/scripts/:name",
    {
      schema: { params: nameParams },
      config: {
        openapi: {
          summary: "One script with its parameters (type names as DSpace gives them)",
          tags: ["scripts"],
          responses: {
            "200": { description: "the script", schema: ref("Script") },
            "403": "the caller may not run it",
            "404": "no such script",
          },
        },
      },
    },
    async (request) => {
      const script = ctx.engine.scripts.get(request.params.name);
      if (!script) throw new NotFoundError(`no script named '${request.params.name}'`);
      requireRun(principalOf(request), script.name, ctx.engine.config.scripts);
      return scriptView(script, origin(request));
    },
  );
}
