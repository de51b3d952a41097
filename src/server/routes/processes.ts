/**
 * Reading processes: the list (admin), one process, search/byProperty (admin), search/own and
 * search/counts (how many of each status, in one query: what a list page shows beside its filters).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ProcessQuery } from "../../engine/service.js";
import { changeMarker } from "../../store/queries/change-marker.js";
import { PROCESS_STATUSES, type ProcessOutcome, type ProcessStatus } from "../../store/schema.js";
import { isAdmin, requireAdmin, requireVisible } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";
import { MalformedRequestError } from "../errors.js";
import { conditionalGet, etagOf, knownEtag } from "../etag.js";
import { origin, pagedBody } from "../hal.js";
import { HAL_JSON, prefersPlainJson } from "../hal-type.js";
import { ref } from "../openapi/schemas.js";
import { createPageCache, type PageCache } from "../page-cache.js";
import { type PagingQuery, pagingProperties, processSort } from "../paging.js";
import { processView } from "../views/process-view.js";

export const STATUSES = PROCESS_STATUSES;

export const idParams = {
  type: "object",
  required: ["id"],
  properties: {
    id: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: "process id" },
  },
} as const;

const filterProperties = {
  userId: { type: "string", description: "the starter's user id" },
  scriptName: { type: "string", description: "script name" },
  processStatus: {
    type: "string",
    pattern: `^(${STATUSES.join("|")})(,(${STATUSES.join("|")}))*$`,
    description: "status, or several separated by commas",
  },
  outcome: {
    type: "string",
    pattern: "^(ok|warnings|errors)(,(ok|warnings|errors))*$",
    description:
      "how a COMPLETED process's items went (errors: some failed; warnings), or several separated by commas",
  },
  createdAfter: {
    type: "string",
    description: "only processes created at or after this ISO 8601 date-time (e.g. 2026-12-01T00:00:00Z)",
  },
  createdBefore: {
    type: "string",
    description: "only processes created before this ISO 8601 date-time",
  },
} as const;

const listQuery = { type: "object", properties: { ...pagingProperties, ...filterProperties } } as const;
const ownQuery = {
  type: "object",
  properties: {
    ...pagingProperties,
    scriptName: filterProperties.scriptName,
    processStatus: filterProperties.processStatus,
    outcome: filterProperties.outcome,
    createdAfter: filterProperties.createdAfter,
    createdBefore: filterProperties.createdBefore,
  },
} as const;

const countsQuery = {
  type: "object",
  properties: {
    userId: filterProperties.userId,
    scriptName: filterProperties.scriptName,
    createdAfter: filterProperties.createdAfter,
    createdBefore: filterProperties.createdBefore,
  },
  additionalProperties: false,
} as const;

const countsSchema = {
  type: "object",
  required: ["counts"],
  properties: {
    counts: {
      type: "object",
      required: [...PROCESS_STATUSES],
      properties: Object.fromEntries(PROCESS_STATUSES.map((s) => [s, { type: "integer", minimum: 0 }])),
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

type ListQuery = PagingQuery & {
  userId?: string;
  scriptName?: string;
  processStatus?: string;
  outcome?: string;
  createdAfter?: string;
  createdBefore?: string;
};

/** Stored times are ISO strings in UTC (`...Z`): a bound is compared in the same form; 400 naming it otherwise. */
function isoBound(name: "createdAfter" | "createdBefore", value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (Number.isNaN(ms))
    throw new MalformedRequestError(
      `${name} must be an ISO 8601 date-time (e.g. 2026-12-01T00:00:00Z); got '${value}'`,
      [{ parameter: `querystring.${name}`, message: "not an ISO 8601 date-time" }],
    );
  return new Date(ms).toISOString();
}

function toQuery(q: ListQuery): ProcessQuery {
  return {
    page: q.page,
    size: q.size,
    sort: processSort(q.sort),
    userId: q.userId,
    script: q.scriptName,
    status: q.processStatus?.split(",") as ProcessStatus[] | undefined,
    outcome: q.outcome?.split(",") as ProcessOutcome[] | undefined,
    createdAfter: isoBound("createdAfter", q.createdAfter),
    createdBefore: isoBound("createdBefore", q.createdBefore),
  };
}

/**
 * A page of processes, serialised, with its ETag. The bytes depend on the query, where links point and (for
 * search/own) the caller: `scope` names the caller where it matters. A page asked again before the store
 * changes is kept until it does (see page-cache.ts).
 */
async function page(
  ctx: ServerContext,
  pages: PageCache,
  request: FastifyRequest,
  reply: FastifyReply,
  query: ProcessQuery,
  scope = "",
): Promise<Buffer | string> {
  const base = origin(request);
  const key = `${scope}\u0000${base}\u0000${request.url}`;
  // Read before the page: a write in between makes the page newer than its marker, never older.
  const marker = await changeMarker(ctx.engine.store.db);
  // As halContentType would for the body as an object: HAL unless the client asks for plain JSON.
  reply.type(prefersPlainJson(request.headers.accept) ? "application/json; charset=utf-8" : HAL_JSON);
  let kept = pages.get(key, marker);
  if (kept === undefined) {
    const json = await build(ctx, request, query, base);
    if (!pages.worthKeeping(key, marker)) return json; // hashed by conditionalGet, as any answer
    const body = Buffer.from(json);
    kept = pages.keep(key, marker, { body, etag: etagOf(body) });
  }
  knownEtag(reply, kept.body, kept.etag);
  return kept.body;
}

/** The page as JSON (what Fastify's serialiser would make of the object). */
async function build(ctx: ServerContext, request: FastifyRequest, query: ProcessQuery, base: string) {
  const result = await ctx.engine.service.listProcesses(query);
  return JSON.stringify(
    pagedBody(
      request,
      "processes",
      result.items.map((p) => processView(p, base)),
      { page: result.page, size: result.size, total: result.total },
    ),
  );
}

const pagedResponses = {
  "200": { description: "paged processes", schema: ref("ProcessPage") },
  "400": "bad paging, sort or filter",
  "401": "not authenticated",
};

export function processRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const pages = createPageCache();
  app.get<{ Querystring: ListQuery }>(
    "/api/system/processes",
    {
      schema: { querystring: listQuery },
      onSend: conditionalGet,
      config: {
        openapi: {
          summary: "All processes, newest first (admin); filters combine",
          tags: ["processes"],
          responses: { ...pagedResponses, "403": "not an admin (use search/own)" },
        },
      },
    },
    async (request, reply) => {
      requireAdmin(principalOf(request), "list every process (others use /api/system/processes/search/own)");
      return page(ctx, pages, request, reply, toQuery(request.query));
    },
  );

  app.get<{ Querystring: ListQuery }>(
    "/api/system/processes/search/byProperty",
    {
      schema: { querystring: listQuery },
      onSend: conditionalGet,
      config: {
        openapi: {
          summary: "Processes by userId, scriptName and processStatus (admin; at least one; they combine)",
          tags: ["processes"],
          responses: {
            ...pagedResponses,
            "400": "bad paging, sort or filter; no filter; a userId that is no user",
            "403": "not an admin",
          },
        },
      },
    },
    async (request, reply) => {
      requireAdmin(principalOf(request), "search every process");
      const q = request.query;
      if (q.userId === undefined && q.scriptName === undefined && q.processStatus === undefined) {
        throw new MalformedRequestError(
          "search/byProperty needs at least one of userId, scriptName, processStatus",
          [{ parameter: "querystring", message: "no filter given" }],
        );
      }
      // DSpace answers 400 for a userId that is no user (ProcessRestRepositoryIT
      // searchProcessTestInvalidEPersonUuid), not an empty page.
      if (q.userId !== undefined && !(await ctx.users.byId(q.userId))) {
        throw new MalformedRequestError(`userId '${q.userId}' is not the id of any user`, [
          { parameter: "querystring.userId", message: "no such user" },
        ]);
      }
      return page(ctx, pages, request, reply, toQuery(q));
    },
  );

  app.get<{ Querystring: Omit<ListQuery, "userId"> }>(
    "/api/system/processes/search/own",
    {
      schema: { querystring: ownQuery },
      onSend: conditionalGet,
      config: {
        openapi: {
          summary: "The caller's own processes (filters combine)",
          tags: ["processes"],
          responses: pagedResponses,
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      return page(ctx, pages, request, reply, { ...toQuery(request.query), userId: p.user.id }, p.user.id);
    },
  );

  app.get<{ Querystring: Omit<ListQuery, "processStatus" | "page" | "size" | "sort"> }>(
    "/api/system/processes/search/counts",
    {
      schema: { querystring: countsQuery },
      config: {
        openapi: {
          summary:
            "How many processes of each status match the filters (an admin's across users, or one user's by userId; everyone else's own)",
          tags: ["processes"],
          responses: {
            "200": {
              description: "a count for every status",
              contentType: "application/json",
              schema: countsSchema,
            },
            "400": "a bad filter",
            "403": "a non-admin asking for another user's counts",
          },
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      if (q.userId !== undefined && q.userId !== p.user.id) requireAdmin(p, "count another user's processes");
      const userId = isAdmin(p) ? q.userId : p.user.id;
      const counts = await ctx.engine.service.countProcesses({
        userId,
        script: q.scriptName,
        createdAfter: isoBound("createdAfter", q.createdAfter),
        createdBefore: isoBound("createdBefore", q.createdBefore),
      });
      return { counts };
    },
  );

  app.get<{ Params: { id: number } }>(
    "/api/system/processes/:id",
    {
      schema: { params: idParams },
      onSend: conditionalGet,
      config: {
        openapi: {
          summary: "One process (its starter or an admin)",
          tags: ["processes"],
          responses: {
            "200": { description: "the process", schema: ref("Process") },
            "400": "bad id",
            "403": "another user's process",
            "404": "no such process",
          },
        },
      },
    },
    async (request) => {
      const id = request.params.id;
      const p = requireVisible(principalOf(request), await ctx.engine.service.getProcess(id), id);
      return processView(p, origin(request));
    },
  );
}
