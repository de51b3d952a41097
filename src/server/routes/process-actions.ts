/** Changing processes: cancel, re-run, delete (refused while RUNNING) and bulk delete. */
import type { FastifyInstance } from "fastify";
import { forbiddenDetail, isAdmin, requireManage, requireRun, requireVisible } from "../auth/permissions.js";
import type { Principal } from "../auth/principal.js";
import { principalOf, type ServerContext } from "../context.js";
import { MalformedRequestError, UnprocessableError } from "../errors.js";
import { origin } from "../hal.js";
import { ref } from "../openapi/schemas.js";
import { processView } from "../views/process-view.js";
import { idParams } from "./processes.js";

const bulkQuery = {
  type: "object",
  properties: { ids: { type: "string", pattern: "^\\d+(,\\d+)*$", description: "process ids: 1,2,3" } },
} as const;
const MAX_BULK = 1000;
const bulkBody = {
  type: "object",
  required: ["ids"],
  additionalProperties: false,
  properties: {
    ids: {
      type: "array",
      items: { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
      minItems: 1,
      maxItems: MAX_BULK,
    },
  },
} as const;

export interface BulkOutcome {
  readonly processId: number;
  readonly status: 204 | 403 | 404 | 422;
  readonly detail?: string;
}

export function processActionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const service = ctx.engine.service;
  const visible = async (p: Principal, id: number) => requireVisible(p, await service.getProcess(id), id);

  app.post<{ Params: { id: number } }>(
    "/api/system/processes/:id/cancel",
    {
      schema: { params: idParams },
      config: {
        openapi: {
          summary: "Cancel a SCHEDULED (at once) or RUNNING (its script is aborted) process",
          tags: ["processes"],
          responses: {
            "200": { description: "the process", schema: ref("Process") },
            "403": "viewers may not cancel, nor anyone another user's process",
            "404": "no such process",
            "422": "already ended",
          },
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const process = await visible(p, request.params.id);
      requireManage(p, "cancel");
      if (process.status !== "SCHEDULED" && process.status !== "RUNNING")
        throw new UnprocessableError(
          `process ${process.id} has already ended (${process.status}): nothing to cancel`,
        );
      return processView(await service.cancelProcess(process.id), origin(request));
    },
  );

  app.post<{ Params: { id: number }; Querystring: { resume?: boolean } }>(
    "/api/system/processes/:id/rerun",
    {
      schema: {
        params: idParams,
        querystring: {
          type: "object",
          properties: {
            resume: {
              type: "boolean",
              description:
                "continue where the process stopped (default: yes when it ended FAILED or CANCELLED with a checkpoint)",
            },
          },
          additionalProperties: false,
        },
      },
      config: {
        openapi: {
          summary: "Start a new process of the same script with the same parameters and input files",
          tags: ["processes"],
          responses: {
            "202": { description: "the new process", schema: ref("Process") },
            "403": "the caller may not run the script",
            "404": "no such process",
            "422": "it had secret parameters (not stored) or its parameters are no longer valid",
          },
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const process = await visible(p, request.params.id);
      requireManage(p, "re-run");
      requireRun(p, process.script, ctx.engine.config.scripts);
      const again = await service.rerun(
        process.id,
        { source: "rest", userId: p.user.id },
        { resume: request.query.resume },
      );
      const view = processView(again, origin(request));
      return reply.code(202).header("location", view._links.self.href).send(view);
    },
  );

  app.delete<{ Params: { id: number } }>(
    "/api/system/processes/:id",
    {
      schema: { params: idParams },
      config: {
        openapi: {
          summary: "Delete a process that is not RUNNING, with its files",
          tags: ["processes"],
          responses: {
            "204": "deleted",
            "403": "viewers may not delete, nor anyone another user's process",
            "404": "no such process",
            "422": "RUNNING: cancel it first",
          },
        },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const process = await visible(p, request.params.id);
      requireManage(p, "delete");
      if (process.status === "RUNNING")
        throw new UnprocessableError(`process ${process.id} is RUNNING: cancel it first, then delete it`);
      await service.deleteProcess(process.id);
      return reply.code(204).send();
    },
  );

  app.delete<{ Querystring: { ids?: string }; Body: { ids: number[] } | undefined }>(
    "/api/system/processes",
    {
      schema: { querystring: bulkQuery },
      config: {
        openapi: {
          summary: "Delete several processes (?ids=1,2,3 or JSON {ids}); each refused one is listed with why",
          tags: ["processes"],
          requestBodies: { "application/json": bulkBody },
          requestBodyRequired: false,
          responses: {
            "200": {
              description: "{deleted: [ids], refused: [{processId, status, detail}]}",
              contentType: "application/json",
              schema: ref("BulkDeleteResult"),
            },
            "400": "no ids",
            "403": "viewers may not delete, nor anyone another user's process",
          },
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      requireManage(p, "delete");
      let ids: number[];
      if (request.query.ids) {
        const raw = request.query.ids.split(",");
        ids = raw.map(Number);
        const bad = raw.find((id) => !Number.isSafeInteger(Number(id)) || Number(id) < 1);
        if (ids.length > MAX_BULK || bad !== undefined)
          throw new MalformedRequestError(
            bad !== undefined
              ? `'${bad}' is not a process id`
              : `at most ${MAX_BULK} process ids at once (got ${ids.length})`,
            [{ parameter: "querystring.ids", message: "not a list of at most 1000 process ids" }],
          );
      } else {
        const validate = request.compileValidationSchema(bulkBody);
        if (request.body === undefined || !validate(request.body))
          throw new MalformedRequestError(
            'give the ids to delete: ?ids=1,2,3 or a JSON body {"ids": [1,2,3]}',
            [{ parameter: "ids", message: "missing or not a list of process ids" }],
          );
        ids = request.body.ids;
      }
      const outcomes: BulkOutcome[] = [];
      for (const id of [...new Set(ids)]) {
        const process = await service.getProcess(id);
        if (!process) outcomes.push({ processId: id, status: 404, detail: `no process ${id}` });
        else if (!isAdmin(p) && process.userId !== p.user.id)
          outcomes.push({ processId: id, status: 403, detail: forbiddenDetail(id) });
        else if (process.status === "RUNNING")
          outcomes.push({ processId: id, status: 422, detail: `process ${id} is RUNNING: cancel it first` });
        else {
          try {
            await service.deleteProcess(id);
            outcomes.push({ processId: id, status: 204 });
          } catch (err) {
            outcomes.push({ processId: id, status: 422, detail: (err as Error).message });
          }
        }
      }
      return {
        deleted: outcomes.filter((o) => o.status === 204).map((o) => o.processId),
        refused: outcomes.filter((o) => o.status !== 204),
      };
    },
  );
}
