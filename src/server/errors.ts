import { NightshiftError } from "../errors.js";

/** One bad field of a request: a parameter, a query field, a part of a multipart body. */
export interface FieldProblem {
  readonly parameter: string;
  readonly message: string;
}

/**
 * Base of every refusal the REST layer makes on purpose; answered as `application/problem+json`
 * `{type, title, status, detail, errors?}`.
 */
export class ApiError extends NightshiftError {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: readonly FieldProblem[],
    code = title.toUpperCase().replace(/[^A-Z]+/g, "_"),
  ) {
    super(detail, code);
  }
}

/** 400: the request cannot be read (bad JSON, wrong content type, missing part, unsafe file name). */
export class MalformedRequestError extends ApiError {
  constructor(detail: string, errors?: readonly FieldProblem[]) {
    super(400, "Bad Request", detail, errors);
  }
}

/** 401: no or unknown credentials. */
export class UnauthenticatedError extends ApiError {
  constructor(detail = "authentication required: send 'Authorization: Bearer <token>' or log in") {
    super(401, "Unauthorized", detail);
  }
}

/** 403: known caller, not allowed. */
export class ForbiddenError extends ApiError {
  constructor(detail: string) {
    super(403, "Forbidden", detail);
  }
}

/** 404: no such resource (another user's process is a 403: see auth/permissions.ts). */
export class NotFoundError extends ApiError {
  constructor(detail: string) {
    super(404, "Not Found", detail);
  }
}

/** 429: too many attempts (failed logins); `retryAfterSeconds` goes into the Retry-After header. */
export class TooManyRequestsError extends ApiError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, "Too Many Requests", detail);
  }
}

/** 413: uploads above the configured limit (a number of bytes), or another limit of a body (its message). */
export class PayloadTooLargeError extends ApiError {
  constructor(limit: number | string) {
    super(
      413,
      "Payload Too Large",
      typeof limit === "number" ? `uploads are limited to ${limit} bytes in total` : limit,
    );
  }
}

/** 422: readable but invalid (bad parameters, a running process that cannot be deleted). */
export class UnprocessableError extends ApiError {
  constructor(detail: string, errors?: readonly FieldProblem[]) {
    super(422, "Unprocessable Entity", detail, errors);
  }
}

/** 503: not ready. */
export class UnavailableError extends ApiError {
  constructor(detail: string) {
    super(503, "Service Unavailable", detail);
  }
}
