/**
 * Every error becomes `application/problem+json` (RFC 9457): `{type, title, status, detail, errors?}`.
 * Known errors keep their 4xx status; anything unexpected is a 500 that names no internals.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { DiskFullError } from "../engine/disk.js";
import {
  MissingUploadError,
  ProcessNotFoundError,
  ProcessRunningError,
  ScriptNotFoundError,
  SecretRerunError,
} from "../engine/errors.js";
import { ParameterError } from "../engine/parameters.js";
import { coerceError } from "../errors.js";
import { ApiError, type FieldProblem, NotFoundError } from "./errors.js";

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly FieldProblem[];
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
  507: "Insufficient Storage",
};

function problem(status: number, code: string, detail: string, errors?: readonly FieldProblem[]): Problem {
  return {
    type: `urn:nightshift:problem:${code.toLowerCase().replace(/_/g, "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    detail,
    ...(errors?.length ? { errors } : {}),
  };
}

type FastifyValidation = NonNullable<FastifyError["validation"]>;

/** Ajv's message, with the name of an unexpected property (Ajv's own message leaves it out). */
export function validationMessage(v: { message?: string; params?: unknown }): string {
  const extra = (v.params as { additionalProperty?: string } | undefined)?.additionalProperty;
  return `${v.message ?? "is invalid"}${extra === undefined ? "" : ` ('${extra}')`}`;
}

function validationProblems(context: string | undefined, list: FastifyValidation): FieldProblem[] {
  return list.map((v) => {
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const path = v.instancePath.replace(/^\//, "").replace(/\//g, ".");
    const field = [context, path || missing].filter(Boolean).join(".");
    return {
      parameter: field || context || "request",
      message: `${field || "request"} ${validationMessage(v)}`,
    };
  });
}

/** Maps any thrown value to a problem. */
export function toProblem(thrown: unknown): Problem {
  const err = coerceError(thrown);
  if (err instanceof ApiError) return problem(err.status, err.code, err.message, err.errors);
  if (err instanceof ParameterError) return problem(422, "INVALID_PARAMETERS", err.message, err.problems);
  if (err instanceof ScriptNotFoundError || err instanceof ProcessNotFoundError)
    return problem(404, err.code, err.message);
  if (err instanceof ProcessRunningError || err instanceof SecretRerunError)
    return problem(422, err.code, err.message);
  if (err instanceof DiskFullError) return problem(507, err.code, err.message);
  if (err instanceof MissingUploadError)
    return problem(422, err.code, err.message, [{ parameter: err.fileName, message: err.message }]);
  const fe = err as FastifyError;
  if (fe.validation) {
    const errors = validationProblems(fe.validationContext, fe.validation);
    return problem(
      400,
      "INVALID_REQUEST",
      `invalid request: ${errors.map((e) => e.message).join("; ")}`,
      errors,
    );
  }
  const status = typeof fe.statusCode === "number" ? fe.statusCode : 500;
  if (status === 415 || fe.code === "FST_INVALID_MULTIPART_CONTENT_TYPE")
    return problem(
      400,
      "UNSUPPORTED_CONTENT_TYPE",
      `${fe.message} (send multipart/form-data or application/json)`,
    );
  if (status >= 400 && status < 500) return problem(status, fe.code ?? "BAD_REQUEST", fe.message);
  return problem(500, "INTERNAL", "internal error: the server could not handle this request (see its log)");
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type("application/problem+json").send(p);
}

/** Path parameters that are ids: a value that is not a number names nothing, so it is a 404 (as in DSpace). */
const ID_PARAMS = ["id", "fileId"] as const;

/**
 * A path id that is not a number at all (`/processes/abc`) is a 404, as DSpace answers it
 * (ProcessRestRepositoryIT getProcessFilesTypesRandomProcessId); digits out of range stay a 400 naming it.
 */
function nonNumericId(error: unknown, request: FastifyRequest): string | undefined {
  const fe = error as FastifyError;
  if (!fe?.validation || fe.validationContext !== "params") return undefined;
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const name of ID_PARAMS) {
    const raw = params[name];
    if (typeof raw === "string" && !/^\d+$/.test(raw))
      return `${name === "id" ? "process" : "file"} id '${raw.slice(0, 40)}'`;
  }
  return undefined;
}

/** The server's error handler. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const missing = nonNumericId(error, request);
  const p = missing ? toProblem(new NotFoundError(`no ${missing}: ids are whole numbers`)) : toProblem(error);
  if (p.status >= 500) request.log.error({ err: error }, "request failed");
  if (p.status === 401) reply.header("www-authenticate", 'Bearer realm="nightshift"');
  return sendProblem(reply, p);
}
