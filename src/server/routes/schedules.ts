/**
 * /api/system/schedules: list (everyone), one schedule, create/change/delete (admins; config-defined ones
 * are read-only and say so), run now, and the next run times.
 */
import type { FastifyInstance } from "fastify";
import { ScheduleError } from "../../schedule/definition.js";
import {
  ScheduleBuiltInError,
  ScheduleExistsError,
  ScheduleNotFoundError,
  ScheduleReadOnlyError,
  type ScheduleService,
} from "../../schedule/index.js";
import { requireAdmin, requireRun } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";
import { ApiError, NotFoundError, UnprocessableError } from "../errors.js";
import { origin, pagedBody } from "../hal.js";
import { ref } from "../openapi/schemas.js";
import { type PagingQuery, pagingProperties } from "../paging.js";
import { processView } from "../views/process-view.js";
import { scheduleView } from "../views/schedule-view.js";

const nameParams = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", description: "schedule name" } },
} as const;

const fields = {
  script: { type: "string", description: "script name" },
  args: { type: "array", items: { type: "string" }, description: "the script's argv, as on the CLI" },
  cron: { type: "string", description: "5 fields, or 6 with seconds first" },
  timezone: { type: "string", description: "IANA time zone; default the server's" },
  account: { type: "string", description: "service account" },
  overlap: { enum: ["skip", "queue", "allow"], description: "default skip" },
  catchUp: { enum: ["skip", "once"], description: "default skip" },
  priority: { type: "integer", description: "lower runs first; default 0" },
  enabled: { type: "boolean", description: "default true" },
} as const;

const createBody = {
  type: "object",
  required: ["name", "script", "cron"],
  additionalProperties: false,
  properties: { name: { type: "string", description: "schedule name" }, ...fields },
} as const;

const changeBody = { type: "object", additionalProperties: false, properties: fields } as const;

const conflict = (err: Error) => new ApiError(409, "Conflict", err.message);

/** The schedule layer's refusals as REST answers. */
async function answer<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new NotFoundError(err.message);
    if (
      err instanceof ScheduleExistsError ||
      err instanceof ScheduleReadOnlyError ||
      err instanceof ScheduleBuiltInError
    )
      throw conflict(err);
    if (err instanceof ScheduleError)
      throw new UnprocessableError(
        err.message,
        err.problems.map((p) => ({ parameter: p.field, message: `${p.field}: ${p.message}` })),
      );
    throw err;
  }
}

export function scheduleRoutes(app: FastifyInstance, ctx: ServerContext, schedules: ScheduleService): void {
  app.get<{ Querystring: PagingQuery }>(
    "/api/system/schedules",
    {
      schema: {
        querystring: {
          type: "object",
          properties: { page: pagingProperties.page, size: pagingProperties.size },
        },
      },
      config: {
        openapi: {
          summary: "The schedules, config-defined and stored, with next runs and last process (paged)",
          tags: ["schedules"],
          responses: { "200": { description: "paged schedules", schema: ref("SchedulePage") } },
        },
      },
    },
    async (request) => {
      const { page, size } = request.query;
      const all = await schedules.list();
      const items = all.slice(page * size, page * size + size).map((s) => scheduleView(s, origin(request)));
      return pagedBody(request, "schedules", items, { page, size, total: all.length });
    },
  );

  app.post<{ Body: { name: string } & Record<string, unknown> }>(
    "/api/system/schedules",
    {
      schema: { body: createBody },
      config: {
        openapi: {
          summary:
            "Create a schedule (admin); refused like a bad config entry, naming the field and parameter",
          tags: ["schedules"],
          responses: {
            "201": { description: "the new schedule", schema: ref("Schedule") },
            "403": "not an admin",
            "409": "the name is taken (also by a config-defined schedule)",
            "422": "invalid schedule (each problem named in errors)",
          },
        },
      },
    },
    async (request, reply) => {
      requireAdmin(principalOf(request), "create schedules");
      const { name, ...rest } = request.body;
      const created = await answer(() => schedules.create(name, rest));
      const view = scheduleView(created, origin(request));
      return reply.code(201).header("location", view._links.self.href).send(view);
    },
  );

  app.get<{ Params: { name: string } }>(
    "/api/system/schedules/:name",
    {
      schema: { params: nameParams },
      config: {
        openapi: {
          summary: "One schedule",
          tags: ["schedules"],
          responses: {
            "200": { description: "the schedule", schema: ref("Schedule") },
            "404": "no such schedule",
          },
        },
      },
    },
    async (request) => scheduleView(await answer(() => schedules.get(request.params.name)), origin(request)),
  );

  app.patch<{ Params: { name: string }; Body: Record<string, unknown> }>(
    "/api/system/schedules/:name",
    {
      schema: { params: nameParams, body: changeBody },
      config: {
        openapi: {
          summary: "Change a stored schedule (admin): the fields given; `enabled` enables or disables it",
          tags: ["schedules"],
          responses: {
            "200": { description: "the schedule as changed", schema: ref("Schedule") },
            "403": "not an admin",
            "404": "no such schedule",
            "409": "defined in the config file: read-only through the API",
            "422": "invalid schedule (each problem named in errors)",
          },
        },
      },
    },
    async (request) => {
      requireAdmin(principalOf(request), "change schedules");
      const changed = await answer(() => schedules.update(request.params.name, request.body ?? {}));
      return scheduleView(changed, origin(request));
    },
  );

  app.delete<{ Params: { name: string } }>(
    "/api/system/schedules/:name",
    {
      schema: { params: nameParams },
      config: {
        openapi: {
          summary: "Delete a stored schedule (admin); its processes stay",
          tags: ["schedules"],
          responses: {
            "204": "deleted",
            "403": "not an admin",
            "404": "no such schedule",
            "409": "defined in the config file: read-only through the API",
          },
        },
      },
    },
    async (request, reply) => {
      requireAdmin(principalOf(request), "delete schedules");
      await answer(() => schedules.remove(request.params.name));
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { name: string } }>(
    "/api/system/schedules/:name/run",
    {
      schema: { params: nameParams },
      config: {
        openapi: {
          summary: "Run now: the schedule's script with its parameters, once, outside the slot sequence",
          tags: ["schedules"],
          responses: {
            "202": { description: "the new process (SCHEDULED)", schema: ref("Process") },
            "403": "the caller may not run the schedule's script",
            "404": "no such schedule",
          },
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const schedule = await answer(() => schedules.get(request.params.name, 0));
      requireRun(principal, schedule.definition.script, ctx.engine.config.scripts);
      const process = await answer(() => schedules.runNow(request.params.name, principal.user.id));
      const view = processView(process, origin(request));
      return reply.code(202).header("location", view._links.self.href).send(view);
    },
  );

  app.get<{ Params: { name: string }; Querystring: { count: number } }>(
    "/api/system/schedules/:name/next",
    {
      schema: {
        params: nameParams,
        querystring: {
          type: "object",
          properties: {
            count: { type: "integer", minimum: 1, maximum: 1000, default: 5, description: "how many" },
          },
        },
      },
      config: {
        openapi: {
          summary: "The next run times of a schedule (ISO, UTC); none while it is disabled",
          tags: ["schedules"],
          responses: {
            "200": { description: "the next run times", schema: ref("ScheduleNext") },
            "404": "no such schedule",
          },
        },
      },
    },
    async (request) => {
      const { name } = request.params;
      const times = await answer(() => schedules.next(name, request.query.count));
      const self = `${origin(request)}/api/system/schedules/${encodeURIComponent(name)}`;
      return { name, times, _links: { self: { href: `${self}/next` }, schedule: { href: self } } };
    },
  );
}
