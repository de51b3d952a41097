/** Test controls (off unless enabled): state, reset, scripted faults, clock. */
import { BadRequestError } from "../errors.js";
import type { ScriptedFault } from "../faults.js";
import { json } from "../http/reply.js";
import type { Route } from "../http/router.js";

async function jsonBody(body: Buffer): Promise<unknown> {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new BadRequestError("Body must be JSON", "BAD_REQUEST", "Bad Request");
  }
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
      const body = (await jsonBody(await ctx.body())) as { faults?: ScriptedFault[]; clear?: boolean };
      if (body.clear) env.faults.clearScripted();
      if (body.faults !== undefined && !Array.isArray(body.faults))
        throw new BadRequestError("'faults' must be an array", "BAD_REQUEST", "Bad Request");
      env.faults.script(body.faults ?? []);
      return json(200, { pending: env.faults.pendingScripted() });
    },
  },
  {
    method: "POST",
    pattern: "/_sandbox/clock",
    style: "v2",
    handle: async ({ ctx, env }) => {
      const body = (await jsonBody(await ctx.body())) as { advanceSeconds?: number };
      if (typeof body.advanceSeconds !== "number" || !Number.isFinite(body.advanceSeconds))
        throw new BadRequestError("'advanceSeconds' must be a number", "BAD_REQUEST", "Bad Request");
      env.clockOffsetMs += body.advanceSeconds * 1000;
      return json(200, { now: new Date(env.state.now()).toISOString() });
    },
  },
];
