/** Test controls (off unless enabled): state, reset, scripted faults, clock. */
import { BadRequestError } from "../errors.js";
import type { ScriptedFault } from "../faults.js";
import { json } from "../http/reply.js";
import type { Route } from "../http/router.js";

/** The body as a JSON object (empty body = `{}`); 400 for anything else. */
async function jsonBody(body: Buffer): Promise<Record<string, unknown>> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    value = undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new BadRequestError("Body must be a JSON object", "BAD_REQUEST", "Bad Request");
  return value as Record<string, unknown>;
}

const optional = (v: unknown, type: string) => v === undefined || typeof v === type;

/** A scripted fault as the control endpoint accepts it: typed fields, a status Node can send. */
function isScriptedFault(f: unknown): f is ScriptedFault {
  if (typeof f !== "object" || f === null || Array.isArray(f)) return false;
  const x = f as Record<string, unknown>;
  const status = x.status;
  return (
    (status === undefined ||
      (Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599)) &&
    (x.timeout === undefined || x.timeout === "before" || x.timeout === "after") &&
    (x.times === undefined || (Number.isInteger(x.times) && (x.times as number) >= 1)) &&
    (x.retryAfter === undefined || (typeof x.retryAfter === "number" && x.retryAfter >= 0)) &&
    optional(x.path, "string") &&
    optional(x.method, "string")
  );
}

export const controlRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/_sandbox/state",
    style: "v2",
    handle: ({ env }) => json(200, env.state.snapshot()),
  },
  {
    method: "POST",
    pattern: "/_sandbox/reset",
    style: "v2",
    handle: async ({ ctx, env }) => {
      await ctx.body();
      env.reset();
      return json(200, { reset: true });
    },
  },
  {
    method: "POST",
    pattern: "/_sandbox/faults",
    style: "v2",
    handle: async ({ ctx, env }) => {
      const body = (await jsonBody(await ctx.body())) as { faults?: unknown; clear?: boolean };
      if (body.faults !== undefined && !(Array.isArray(body.faults) && body.faults.every(isScriptedFault)))
        throw new BadRequestError(
          "'faults' must be an array of {status: 100-599, timeout: before|after, times >= 1, retryAfter >= 0, path, method}",
          "BAD_REQUEST",
          "Bad Request",
        );
      if (body.clear) env.faults.clearScripted();
      env.faults.script((body.faults as ScriptedFault[] | undefined) ?? []);
      return json(200, { pending: env.faults.pendingScripted() });
    },
  },
  {
    method: "POST",
    pattern: "/_sandbox/clock",
    style: "v2",
    handle: async ({ ctx, env }) => {
      const body = await jsonBody(await ctx.body());
      if (typeof body.advanceSeconds !== "number" || !Number.isFinite(body.advanceSeconds))
        throw new BadRequestError("'advanceSeconds' must be a number", "BAD_REQUEST", "Bad Request");
      env.clockOffsetMs += body.advanceSeconds * 1000;
      return json(200, { now: new Date(env.state.now()).toISOString() });
    },
  },
];
