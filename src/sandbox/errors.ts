/**
 * Errors the sandbox answers with. Domain code throws these; each API renders them in its own style
 * (Metadata API 2.0: JSON bodies; the first API: XML `<error>` bodies).
 */
import { NightshiftError } from "../errors.js";

/** One problem found in a record, as the validate endpoints report it. */
export interface SandboxValidationError {
  readonly severity: "error" | "warning";
  /** Stable code from src/marc validation, e.g. INVALID_INDICATOR. */
  readonly code: string;
  readonly tag?: string;
  readonly occurrence?: number;
  readonly subfield?: string;
  readonly message: string;
}

/** Base class: an HTTP status, an OCLC-style code (e.g. `NOT_FOUND`, `WS-409`) and a human description. */
export class SandboxApiError extends NightshiftError {
  constructor(
    readonly status: number,
    readonly oclcCode: string,
    readonly title: string,
    readonly description: string,
  ) {
    super(`${status} ${oclcCode}: ${description}`, oclcCode);
  }
}

export class NotFoundError extends SandboxApiError {
  constructor(description: string) {
    super(404, "NOT_FOUND", "Unable to locate resource", description);
  }
}

export class BadRequestError extends SandboxApiError {
  constructor(description: string, code = "INVALID_QUERY_PARAMETER_VALUE", title = "Validation Failure") {
    super(400, code, title, description);
  }
}

/** A state conflict: stale 005, holding already set / not held (first API), duplicate local id. */
export class ConflictError extends SandboxApiError {
  constructor(description: string, code = "CONFLICT") {
    super(409, code, "Conflict", description);
  }
}

/** A request body above the sandbox's limit (413, as HTTP names it). */
export class PayloadTooLargeError extends SandboxApiError {
  constructor(description: string) {
    super(413, "PAYLOAD_TOO_LARGE", "Payload Too Large", description);
  }
}

export class NotAcceptableError extends SandboxApiError {
  constructor(description: string) {
    super(406, "NOT_ACCEPTABLE", "Invalid 'Content-Type' header.", description);
  }
}

export class UnauthorizedError extends SandboxApiError {
  constructor(description: string) {
    super(401, "UNAUTHORIZED", "Unauthorized", description);
  }
}

export class ForbiddenError extends SandboxApiError {
  constructor(
    description: string,
    readonly missingScope?: string,
  ) {
    super(403, "FORBIDDEN", "Forbidden", description);
  }
}

/** The record failed validation: carries every problem found. */
export class RecordInvalidError extends SandboxApiError {
  constructor(readonly problems: readonly SandboxValidationError[]) {
    super(400, "BAD_REQUEST", "Validation Failure", "The provided Bib is invalid");
  }
}
