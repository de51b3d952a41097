/**
 * HAL bodies (objects with `_links`) are served as `application/hal+json`, as the contract's reference does,
 * unless the client's Accept asks for `application/json` and not for HAL (then plain `application/json`).
 */
import type { FastifyReply, FastifyRequest } from "fastify";

export const HAL_JSON = "application/hal+json; charset=utf-8";

/** True when the Accept header names application/json but neither HAL nor a wildcard that covers it. */
export function prefersPlainJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(",").map((t) => t.split(";")[0].trim().toLowerCase());
  return types.includes("application/json") && !types.includes("application/hal+json");
}

/** The server's preSerialization hook. */
export async function halContentType(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<unknown> {
  const isHal = typeof payload === "object" && payload !== null && "_links" in payload;
  const current = reply.getHeader("content-type");
  const unset = current === undefined || String(current).startsWith("application/json");
  if (isHal && unset && !prefersPlainJson(request.headers.accept)) reply.type(HAL_JSON);
  return payload;
}
