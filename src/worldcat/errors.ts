/**
 * The WorldCat layer's errors: one base class carrying the HTTP status, OCLC code, message and parsed
 * validation errors; typed subclasses for network failures, unknown outcomes and account configuration.
 * Every message passes through redact().
 */
import { NightshiftError } from "../errors.js";
import { redact } from "./redact.js";

/** One problem OCLC reported about a record: field (tag), occurrence (1-based when given), message. */
export interface ValidationProblem {
  readonly field?: string;
  readonly occurrence?: number;
  readonly message: string;
  readonly type?: string;
}

export interface WorldCatErrorInit {
  /** HTTP status; 0 when no response came back. */
  readonly status?: number;
  /** OCLC's code: `WS-409`, `CAT-OTHER`, `CONFLICT`, `NOT_FOUND`, `invalid_token`, ... */
  readonly oclcCode?: string;
  readonly message: string;
  readonly validationErrors?: readonly ValidationProblem[];
  readonly method?: string;
  readonly url?: string;
  /** Retry-After in milliseconds, when the server sent one. */
  readonly retryAfterMs?: number;
}

/** Any failure talking to WorldCat (or the sandbox). */
export class WorldCatError extends NightshiftError {
  readonly status: number;
  readonly oclcCode?: string;
  readonly detail: string;
  readonly validationErrors: readonly ValidationProblem[];
  readonly method?: string;
  readonly url?: string;
  readonly retryAfterMs?: number;
  /** Requests the transport sent for this call (retries included); set by the transport. */
  attempts = 1;
  /**
   * True when an earlier attempt of this call may have been applied although this error is the final answer
   * (it was sent and then timed out or the connection dropped, or it got a 5xx): a 404 to a retried DELETE,
   * or a stale-005 409 to a retried PUT, may then be the effect of our own first attempt. Set by the transport.
   */
  earlierAttemptMayHaveApplied = false;

  constructor(init: WorldCatErrorInit, code = "WORLDCAT_ERROR") {
    super(redact(WorldCatError.format(init)), code);
    this.status = init.status ?? 0;
    this.oclcCode = init.oclcCode;
    this.detail = redact(init.message);
    this.validationErrors = (init.validationErrors ?? []).map((v) => ({ ...v, message: redact(v.message) }));
    this.method = init.method;
    this.url = init.url === undefined ? undefined : redact(init.url);
    this.retryAfterMs = init.retryAfterMs;
  }

  private static format(init: WorldCatErrorInit): string {
    const where = init.method && init.url ? `${init.method} ${init.url}: ` : "";
    const status = init.status ? `HTTP ${init.status}` : "";
    // The first API's `<code type="http">404</code>` repeats the status: say it once.
    const oclcCode = init.oclcCode === String(init.status) ? undefined : init.oclcCode;
    const code = oclcCode ? `${status ? " " : ""}${oclcCode}` : "";
    const head = status || code ? `${status}${code}: ` : "";
    const problems = (init.validationErrors ?? [])
      .map((v) => `${v.field ?? "record"}${v.occurrence ? `[${v.occurrence}]` : ""}: ${v.message}`)
      .join("; ");
    return `${where}${head}${init.message}${problems ? ` (${problems})` : ""}`;
  }
}

/** No HTTP response: connection refused or reset, DNS failure, connect or read timeout. */
export class WorldCatNetworkError extends WorldCatError {
  constructor(
    init: WorldCatErrorInit,
    /** Node's error code (ECONNREFUSED, ECONNRESET, CONNECT_TIMEOUT, READ_TIMEOUT, ...). */
    readonly networkCode: string,
  ) {
    super(init, "WORLDCAT_NETWORK");
  }
}

/**
 * A create (POST of a new record) failed after the request may have reached WorldCat (timeout,
 * reset after sending, 5xx). It was not retried: check whether the record exists before trying again.
 */
export class OutcomeUnknownError extends WorldCatError {
  constructor(
    init: WorldCatErrorInit,
    readonly reason: string,
  ) {
    super(
      {
        ...init,
        message: `outcome unknown (${reason}); the record may or may not have been created: ${init.message}`,
      },
      "WORLDCAT_OUTCOME_UNKNOWN",
    );
  }
}

/** A service account in the config is missing, malformed, or holds a secret inline. */
export class AccountConfigError extends WorldCatError {
  constructor(
    readonly account: string,
    readonly key: string,
    message: string,
  ) {
    super({ message: `account '${account}': ${key}: ${message}` }, "WORLDCAT_ACCOUNT_CONFIG");
  }
}
