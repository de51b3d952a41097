/**
 * Conditional GETs for what the web UI polls (the process lists and one process): an ETag from the body's
 * hash and `Cache-Control: private, no-cache`, so the browser revalidates each poll with If-None-Match and an
 * unchanged page answers 304 with no body (nothing to send, parse or render again).
 */
import { hash } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

/** Weak: the same representation, whatever the encoding on the way. */
export function etagOf(payload: string | Buffer): string {
  return `W/"${hash("sha1", payload, "base64url")}"`;
}

/** Tags already known for a payload about to be sent (a kept answer): not hashed again. */
const known = new WeakMap<FastifyReply, { payload: Buffer; etag: string }>();

/** Tells conditionalGet the ETag of the payload this reply will send. */
export function knownEtag(reply: FastifyReply, payload: Buffer, etag: string): void {
  known.set(reply, { payload, etag });
}

/** A route's onSend hook: ETag on 200 answers to GET; 304 when the client already has this body. */
export async function conditionalGet(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  if (request.method !== "GET" || reply.statusCode !== 200) return payload;
  if (typeof payload !== "string" && !Buffer.isBuffer(payload)) return payload; // a stream: not hashed
  const preset = known.get(reply);
  const tag = preset !== undefined && preset.payload === payload ? preset.etag : etagOf(payload);
  reply.header("etag", tag);
  reply.header("cache-control", "private, no-cache");
  // The Vary keeps a cached list for one Accept (HAL or plain JSON) apart from the other.
  reply.header("vary", "accept, cookie, authorization");
  if (matches(request.headers["if-none-match"], tag)) {
    reply.code(304);
    return "";
  }
  return payload;
}

function matches(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  const bare = tag.slice(2);
  return header.split(",").some((t) => {
    const v = t.trim();
    return v === "*" || v === tag || v === bare || v === `W/${bare}`;
  });
}
