/**
 * The request pipeline every WorldCat call goes through: authorize -> concurrency slot -> rate limit ->
 * send -> retry (backoff + jitter, Retry-After) -> typed error. A create is never blindly retried after
 * an ambiguous failure: it ends in OutcomeUnknownError.
 */
import { randomUUID } from "node:crypto";
import { parseErrorBody } from "../error-body.js";
import { OutcomeUnknownError, WorldCatError, WorldCatNetworkError } from "../errors.js";
import { redact } from "../redact.js";
import { type Clock, realSleep, type Sleep, systemClock } from "./clock.js";
import {
  type ConnectionPool,
  DEFAULT_TIMEOUTS,
  type HttpResponse,
  NetworkFailure,
  sendHttp,
  type Timeouts,
} from "./http.js";
import { type RateLimiter, unlimited } from "./rate-limit.js";
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, RETRYABLE_STATUS, type RetryPolicy } from "./retry.js";
import { createSemaphore, type Semaphore } from "./semaphore.js";

/** Supplies the Authorization header; told when the server refused it (401). */
export interface Authorizer {
  header(method: string, url: string, signal?: AbortSignal): Promise<string>;
  /** The server answered 401 to `header`: return true when a fresh header is worth one retry. */
  rejected(header: string): Promise<boolean> | boolean;
}

export interface TransportRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly auth?: Authorizer;
  /** POST of a new record: after an ambiguous failure throw OutcomeUnknownError instead of retrying. */
  readonly create?: boolean;
  /** Statuses that are answers, not errors (e.g. 404 for "does it exist?"). */
  readonly acceptStatus?: readonly number[];
  readonly signal?: AbortSignal;
}

export interface TransportOptions {
  readonly pool: ConnectionPool;
  readonly timeouts?: Partial<Timeouts>;
  readonly retry?: Partial<RetryPolicy>;
  readonly rateLimiter?: RateLimiter;
  /** In-flight request bound (a semaphore shared by callers of this transport). */
  readonly concurrency?: number | Semaphore;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Receives one line per retry and per failure, already redacted. */
  readonly log?: (line: string) => void;
  readonly userAgent?: string;
}

export interface Transport {
  /** Sends with retries; resolves with 2xx (or an accepted status), throws WorldCatError otherwise. */
  request(req: TransportRequest): Promise<HttpResponse>;
}

/** Builds the WorldCatError for a non-success response. */
export function errorFromResponse(
  method: string,
  url: string,
  res: HttpResponse,
  nowMs: number,
): WorldCatError {
  const www = res.headers["www-authenticate"];
  const parsed = parseErrorBody(res.body, Array.isArray(www) ? www[0] : www);
  return new WorldCatError({
    status: res.status,
    oclcCode: parsed.oclcCode,
    message: parsed.message ?? `HTTP ${res.status}`,
    validationErrors: parsed.validationErrors,
    method,
    url,
    retryAfterMs: parseRetryAfter(headerOf(res, "retry-after"), nowMs),
  });
}

function headerOf(res: HttpResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function createTransport(options: TransportOptions): Transport {
  const timeouts: Timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const limiter = options.rateLimiter ?? unlimited;
  const sem =
    typeof options.concurrency === "object"
      ? options.concurrency
      : createSemaphore(options.concurrency ?? Number.POSITIVE_INFINITY);
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const log = (line: string): void => options.log?.(redact(line));
  const userAgent = options.userAgent ?? "nightshift/0.1";

  async function attempt(req: TransportRequest, authHeader: string | undefined): Promise<HttpResponse> {
    const headers: Record<string, string> = { "user-agent": userAgent, ...req.headers };
    if (authHeader) headers.authorization = authHeader;
    const release = await sem.acquire();
    try {
      await limiter.acquire(req.signal);
      const { method, url, body, signal } = req;
      return await sendHttp(
        { method, url, headers, body, signal, freshConnection: req.create },
        options.pool,
        timeouts,
      );
    } finally {
      release();
    }
  }

  async function request(req: TransportRequest): Promise<HttpResponse> {
    const what = `${req.method} ${req.url}`;
    const id = randomUUID().slice(0, 8);
    let refreshed = false;
    let ambiguous = false; // an attempt was sent and may have been applied without our hearing of it
    const final = <E extends WorldCatError>(error: E, n: number): E => {
      error.attempts = n;
      error.earlierAttemptMayHaveApplied = ambiguous;
      return error;
    };
    for (let n = 1; ; n++) {
      const authHeader = req.auth ? await req.auth.header(req.method, req.url, req.signal) : undefined;
      let res: HttpResponse;
      try {
        res = await attempt(req, authHeader);
      } catch (err) {
        if (!(err instanceof NetworkFailure)) throw err;
        const init = { method: req.method, url: req.url, message: `${err.code}: ${err.message}` };
        if (req.create && err.sent) {
          log(`[${id}] ${what}: ${err.code} after sending a create; not retried (outcome unknown)`);
          throw new OutcomeUnknownError(init, err.code);
        }
        if (n >= policy.maxAttempts)
          throw final(
            new WorldCatNetworkError({ ...init, message: `${init.message} (after ${n} attempts)` }, err.code),
            n,
          );
        if (err.sent) ambiguous = true;
        const wait = backoffDelay(n, policy, random);
        log(`[${id}] ${what}: ${err.code}; retry ${n + 1}/${policy.maxAttempts} in ${wait} ms`);
        await sleep(wait, req.signal);
        continue;
      }
      if ((res.status >= 200 && res.status < 300) || req.acceptStatus?.includes(res.status)) return res;
      if (
        res.status === 401 &&
        req.auth &&
        authHeader &&
        !refreshed &&
        (await req.auth.rejected(authHeader))
      ) {
        refreshed = true;
        n--; // the refresh retry does not use up an attempt
        log(`[${id}] ${what}: 401; refreshing the token and retrying once`);
        continue;
      }
      const error = errorFromResponse(req.method, req.url, res, clock.now());
      if (req.create && res.status >= 500) {
        log(`[${id}] ${what}: HTTP ${res.status} on a create; not retried (outcome unknown)`);
        throw new OutcomeUnknownError(
          {
            status: res.status,
            oclcCode: error.oclcCode,
            message: error.detail,
            method: req.method,
            url: req.url,
          },
          `HTTP ${res.status}`,
        );
      }
      if (!RETRYABLE_STATUS.has(res.status) || n >= policy.maxAttempts) throw final(error, n);
      const retryAfter = error.retryAfterMs;
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) throw final(error, n);
      if (res.status >= 500) ambiguous = true; // a gateway error may come after the request was applied
      const wait = retryAfter ?? backoffDelay(n, policy, random);
      log(
        `[${id}] ${what}: HTTP ${res.status}; retry ${n + 1}/${policy.maxAttempts} in ${wait} ms${retryAfter !== undefined ? " (Retry-After)" : ""}`,
      );
      await sleep(wait, req.signal);
    }
  }

  return { request };
}
