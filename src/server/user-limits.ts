/**
 * Per-user limits (config `limits`): queued processes, stored upload bytes, open log streams. Over one, a
 * request is refused with 429 naming the limit, its configured value and the user's current value; nothing is
 * created. Counts are read when a request arrives, so two requests racing at the edge can both pass (a limit
 * protects the server from a runaway client, it is not an exact quota). Log streams are counted per server.
 */
import type { FastifyReply } from "fastify";
import type { UserLimits } from "../config/config.js";
import { ApiError } from "./errors.js";

export type LimitName = keyof UserLimits;

/** 429: a per-user limit reached. `retryAfterSeconds` (when freeing comes by itself) goes into Retry-After. */
export class UserLimitError extends ApiError {
  constructor(
    readonly limit: LimitName,
    readonly configured: number,
    readonly current: number,
    detail: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(
      429,
      "Too Many Requests",
      detail,
      [{ parameter: `limits.${limit}`, message: detail }],
      "USER_LIMIT",
    );
  }
}

/** Throws the error after setting its Retry-After header (the error handler keeps headers already set). */
export function refuse(reply: FastifyReply, err: UserLimitError): never {
  if (err.retryAfterSeconds !== undefined) reply.header("retry-after", String(err.retryAfterSeconds));
  throw err;
}

/** The queue frees itself as processes start: look again in a minute. */
export function queuedLimitError(configured: number, current: number): UserLimitError {
  return new UserLimitError(
    "queuedProcesses",
    configured,
    current,
    `too many queued processes: you have ${current} SCHEDULED, the limit is ${configured} (limits.queuedProcesses); wait for some to start, or cancel some`,
    60,
  );
}

/** Stored uploads free only when processes are deleted: no Retry-After. */
export function uploadLimitError(configured: number, current: number): UserLimitError {
  return new UserLimitError(
    "uploadBytes",
    configured,
    current,
    `upload disk use over the limit: your stored uploads and this one come to at least ${current} bytes, the limit is ${configured} bytes (limits.uploadBytes); delete finished processes to free space`,
  );
}

export function streamLimitError(configured: number, current: number): UserLimitError {
  return new UserLimitError(
    "logStreams",
    configured,
    current,
    `too many open log streams: you have ${current} open, the limit is ${configured} (limits.logStreams); close one first`,
    10,
  );
}

/** Open log streams per user id on this server. */
export class StreamCounter {
  private readonly open = new Map<string, number>();
  constructor(private readonly limit: number) {}

  /** Counts one more stream for the user, or throws the 429 (limit 0: no limit); release it once, on close. */
  acquire(userId: string): () => void {
    const current = this.open.get(userId) ?? 0;
    if (this.limit > 0 && current >= this.limit) throw streamLimitError(this.limit, current);
    this.open.set(userId, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left > 0) this.open.set(userId, left);
      else this.open.delete(userId);
    };
  }
}
