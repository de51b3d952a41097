/**
 * POST /api/system/scripts/{name}/processes: the seed's curl example (multipart `properties` + `file`
 * parts) or JSON `{properties, runAt}`. Everything is checked before a process exists:
 * 404 unknown script, 403 not allowed, 400 unreadable, 413 too large, 422 invalid parameters.
 */
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { givenAccount } from "../../engine/create-process.js";
import { ParameterError, type ParsedParameters, parseProperties } from "../../engine/parameters.js";
import type { ScriptDefinition } from "../../engine/script.js";
import { countQueuedOf, uploadBytesOf } from "../../store/queries/user-usage.js";
import { isAdmin, requireRun, requireVisible } from "../auth/permissions.js";
import { principalOf, type ServerContext } from "../context.js";
import {
  ApiError,
  type FieldProblem,
  ForbiddenError,
  MalformedRequestError,
  NotFoundError,
} from "../errors.js";
import { origin } from "../hal.js";
import { ref } from "../openapi/schemas.js";
import { validationMessage } from "../problem.js";
import { type ReceivedStart, receiveMultipartStart, type UploadQuota } from "../upload.js";
import { queuedLimitError, refuse, uploadLimitError } from "../user-limits.js";
import { processView } from "../views/process-view.js";
import { nameParams } from "./scripts.js";

/** The JSON form of a start (also what validates it). */
export const startJsonBody = {
  type: "object",
  required: ["properties"],
  additionalProperties: false,
  properties: {
    properties: {
      type: ["array", "string"],
      description:
        'parameters: [{"name":"-i","value":"..."}] (short or long names), or that array as a JSON string',
    },
    runAt: { type: "string", description: "ISO 8601 date-time: do not start before it (delayed start)" },
  },
} as const;

const multipartBody = {
  type: "object",
  required: ["properties"],
  properties: {
    properties: { type: "string", description: 'JSON array [{"name":"-f","value":"true"}]' },
    runAt: { type: "string", description: "ISO 8601 date-time (delayed start)" },
    file: {
      type: "array",
      items: { type: "string", contentMediaType: "application/octet-stream" },
      description: "uploads; a file parameter's value is the uploaded file's name",
    },
  },
};

async function readBody(
  request: FastifyRequest,
  ctx: ServerContext,
  quota?: UploadQuota,
): Promise<ReceivedStart> {
  if (request.isMultipart()) {
    const tempRoot = join(ctx.engine.config.dataDir, "uploads");
    return receiveMultipartStart(request, tempRoot, ctx.options.uploadLimitBytes, quota);
  }
  if (request.body === undefined || request.body === null) {
    throw new MalformedRequestError(
      "missing body: send multipart/form-data with a 'properties' part (or JSON {properties, runAt})",
      [{ parameter: "properties", message: "missing" }],
    );
  }
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new MalformedRequestError(
      `unsupported content type '${type}': send multipart/form-data (or application/json)`,
    );
  }
  const validate = request.compileValidationSchema(startJsonBody);
  if (!validate(request.body)) {
    const errors = (validate.errors ?? []).map((e) => ({
      parameter: `body${e.instancePath.replace(/\//g, ".")}`,
      message: `body${e.instancePath.replace(/\//g, ".")} ${validationMessage(e)}`,
    }));
    throw new MalformedRequestError(`invalid body: ${errors.map((e) => e.message).join("; ")}`, errors);
  }
  const body = request.body as { properties: unknown; runAt?: string };
  let properties = body.properties;
  if (typeof properties === "string") {
    try {
      properties = JSON.parse(properties);
    } catch (err) {
      throw new MalformedRequestError(`'properties' is not valid JSON: ${(err as Error).message}`);
    }
  }
  return { properties, runAt: body.runAt, uploads: [], cleanup: async () => {} };
}

/** The delayed start, or a problem naming `runAt`. */
function parseRunAt(raw: unknown): { value?: Date } | { problem: FieldProblem } {
  if (raw === undefined || raw === "") return {};
  const ok = typeof raw === "string" && /^\d{4}-\d{2}-\d{2}T/.test(raw) && !Number.isNaN(Date.parse(raw));
  if (ok) return { value: new Date(raw as string) };
  const message = `runAt must be an ISO 8601 date-time (e.g. 2030-01-01T02:00:00Z); got '${String(raw)}'`;
  return { problem: { parameter: "runAt", message } };
}

/**
 * Every file parameter names an upload, and every upload is named by one. Read from the raw properties, so
 * that these problems are reported together with the other parameters' (a parse that failed has no values).
 * File parameters that already have a problem (bad value, given twice) are not reported again.
 */
function uploadProblems(
  script: ScriptDefinition,
  properties: readonly unknown[],
  names: readonly string[],
  reported: readonly FieldProblem[],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const named = new Set<string>();
  for (const entry of properties) {
    const { name, value } = (entry ?? {}) as { name?: unknown; value?: unknown };
    const p = script.parameters.find((d) => d.type === "file" && (d.name === name || d.nameLong === name));
    if (!p || (typeof value !== "string" && typeof value !== "number")) continue;
    named.add(String(value));
    if (reported.some((r) => r.parameter === p.nameLong) || names.includes(String(value))) continue;
    problems.push({
      parameter: p.nameLong,
      message: `parameter '${p.nameLong}' (${p.name}) names file '${value}', which was not uploaded (send it as a 'file' part)`,
    });
  }
  for (const name of names.filter((n) => !named.has(n)))
    problems.push({
      parameter: "file",
      message: `uploaded file '${name}' is not named by any file parameter`,
    });
  return problems;
}

/** Parses everything a start names and reports every problem at once (422), or the parsed parameters. */
function checkStart(
  script: ScriptDefinition,
  body: ReceivedStart,
): { parameters: ParsedParameters; runAt?: Date } {
  if (!Array.isArray(body.properties))
    throw new MalformedRequestError("'properties' must be a JSON array of {name, value} objects", [
      { parameter: "properties", message: "not a JSON array" },
    ]);
  const problems: FieldProblem[] = [];
  const runAt = parseRunAt(body.runAt);
  if ("problem" in runAt) problems.push(runAt.problem);
  let parameters: ParsedParameters | undefined;
  try {
    parameters = parseProperties(script, body.properties);
  } catch (err) {
    if (!(err instanceof ParameterError)) throw err;
    problems.push(...err.problems);
  }
  const names = body.uploads.map((u) => u.name);
  problems.push(...uploadProblems(script, body.properties, names, problems));
  if (problems.length || !parameters)
    throw new ApiError(
      422,
      "Unprocessable Entity",
      `invalid parameters for script '${script.name}': ${problems.map((p) => p.message).join("; ")}`,
      problems,
      "INVALID_PARAMETERS",
    );
  return { parameters, runAt: "value" in runAt ? runAt.value : undefined };
}

/**
 * limits.queuedProcesses (refused at once) and limits.uploadBytes (the quota the upload streams against, so
 * the body is refused as soon as it passes it). 0 turns a limit off.
 */
async function checkUserLimits(
  ctx: ServerContext,
  userId: string,
  reply: FastifyReply,
): Promise<UploadQuota | undefined> {
  const limits = ctx.engine.config.limits;
  const db = ctx.engine.store.db;
  if (limits.queuedProcesses > 0) {
    const queued = await countQueuedOf(db, userId);
    if (queued >= limits.queuedProcesses) refuse(reply, queuedLimitError(limits.queuedProcesses, queued));
  }
  if (limits.uploadBytes <= 0) return undefined;
  const stored = await uploadBytesOf(db, userId);
  return {
    freeBytes: limits.uploadBytes - stored,
    // Stored uploads free only when processes are deleted: no Retry-After.
    exceeded: (bodyBytes) => uploadLimitError(limits.uploadBytes, stored + bodyBytes),
  };
}

export function processStartRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: { name: string } }>(
    "/api/system/scripts/:name/processes",
    {
      schema: { params: nameParams },
      config: {
        openapi: {
          summary: "Start a process of the script (validated first; nothing is created on any error)",
          description:
            "multipart/form-data: part `properties` (JSON array of {name, value}), optional `runAt`, repeated `file` parts. JSON {properties, runAt} also accepted.",
          tags: ["processes"],
          requestBodies: { "multipart/form-data": multipartBody, "application/json": startJsonBody },
          responses: {
            "202": { description: "the new process (SCHEDULED)", schema: ref("Process") },
            "400":
              "malformed: bad JSON, wrong content type, missing properties, unsafe or duplicate file name",
            "401": "not authenticated",
            "403": "the caller may not run this script",
            "404": "no such script",
            "413": "uploads above the limit",
            "422": "invalid parameters (each named in errors)",
            "429":
              "a per-user limit reached: queued processes (limits.queuedProcesses; Retry-After) or stored upload bytes (limits.uploadBytes)",
            "507": "free disk space below the reserve (diskReserve): nothing new is stored",
          },
        },
      },
    },
    async (request, reply) => {
      const script = ctx.engine.scripts.get(request.params.name);
      if (!script) throw new NotFoundError(`no script named '${request.params.name}'`);
      const principal = principalOf(request);
      requireRun(principal, script.name, ctx.engine.config.scripts);
      // Below the disk reserve an upload is refused before a byte of it is stored.
      if (!script.freesDiskSpace) ctx.engine.disk.require(`a new ${script.name} process`);
      const body = await readBody(request, ctx, await checkUserLimits(ctx, principal.user.id, reply));
      try {
        const { parameters, runAt } = checkStart(script, body);
        // --resume of a process the caller may not see is refused as reading it would be (issue 15).
        const resume = parameters.values.resume;
        if (typeof resume === "number") {
          const older = await ctx.engine.service.getProcess(resume);
          if (older) requireVisible(principal, older, resume);
        }
        // A script bound to an account (scripts.<name>.account) runs under it; only an admin may choose another.
        const bound = ctx.engine.config.scripts[script.name]?.account;
        const asked = givenAccount(parameters); // the parameter's default (`sandbox`) is not a choice
        if (typeof bound === "string" && asked !== undefined && asked !== bound && !isAdmin(principal))
          throw new ForbiddenError(
            `script ${script.name} runs under account ${bound}; only an admin may run it under another account (${asked})`,
          );
        const process = await ctx.engine.service.createProcess({
          script: script.name,
          parameters,
          startedBy: { source: "rest", userId: principal.user.id },
          runAt,
          uploads: body.uploads,
          listAccounts: isAdmin(principal),
        });
        const view = processView(process, origin(request));
        return reply.code(202).header("location", view._links.self.href).send(view);
      } finally {
        await body.cleanup();
      }
    },
  );
}
