/**
 * Event triggers: `POST /api/triggers/{name}` (its own authentication: the trigger's HMAC signature or a
 * user's bearer token) and the list `GET /api/system/triggers`. Refusals never leave a process behind:
 * 401 bad or old signature, 404 unknown trigger, 422 a payload that does not map to valid parameters,
 * 429 over the trigger's rate limit; 202 a new event's process, 200 the process a repeated event started.
 */
import { dirname } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type TriggerDefinition, triggerSummary } from "../../trigger/definition.js";
import { createRateLimiter, type RateLimiter } from "../../trigger/rate-limit.js";
import { receiveEvent } from "../../trigger/receive.js";
import { readTriggerSecret } from "../../trigger/secret.js";
import { checkSignature, SIGNATURE_HEADER } from "../../trigger/signature.js";
import { authenticate } from "../auth/authenticate.js";
import { mayRun } from "../auth/permissions.js";
import type { ServerContext } from "../context.js";
import {
  MalformedRequestError,
  NotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
  UnprocessableError,
} from "../errors.js";
import { origin, pagedBody } from "../hal.js";
import { ref } from "../openapi/schemas.js";
import { type PagingQuery, pagingProperties } from "../paging.js";

const nameParams = {
  type: "object",
  required: ["name"],
  properties: { name: { type: "string", description: "trigger name" } },
} as const;

export function triggerView(t: TriggerDefinition, base: string) {
  return {
    id: t.name,
    type: "trigger",
    ...triggerSummary(t),
    _links: { self: { href: `${base}/api/triggers/${encodeURIComponent(t.name)}` } },
  };
}

export function triggerRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  triggers: readonly TriggerDefinition[],
): void {
  const byName = new Map(triggers.map((t) => [t.name, t]));
  const limiters = new Map<string, RateLimiter>();
  for (const t of triggers) if (t.rateLimit) limiters.set(t.name, createRateLimiter(t.rateLimit));
  const baseDir = ctx.engine.config.configPath ? dirname(ctx.engine.config.configPath) : process.cwd();

  app.get<{ Querystring: PagingQuery }>(
    "/api/system/triggers",
    {
      schema: {
        querystring: {
          type: "object",
          properties: { page: pagingProperties.page, size: pagingProperties.size },
        },
      },
      config: {
        openapi: {
          summary: "The triggers of the config file: webhooks and inbox folders (paged)",
          tags: ["triggers"],
          responses: { "200": { description: "paged triggers", schema: ref("TriggerPage") } },
        },
      },
    },
    async (request) => {
      const { page, size } = request.query;
      const items = triggers
        .slice(page * size, page * size + size)
        .map((t) => triggerView(t, origin(request)));
      return pagedBody(request, "triggers", items, { page, size, total: triggers.length });
    },
  );

  // The signature covers the raw bytes: this route reads its body unparsed.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    const refuse = (name: string, err: Error) => {
      ctx.metrics.countTrigger(name, "refused");
      return err;
    };
    const app = scope;
    app.post<{ Params: { name: string } }>(
      "/api/triggers/:name",
      {
        schema: { params: nameParams },
        config: {
          auth: "public",
          openapi: {
            summary: "An inbound event: starts the trigger's script with parameters from the JSON payload",
            description:
              "Authenticated by `X-Nightshift-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<raw body>'>` with the trigger's secret (5 minutes' tolerance), or by a bearer token of a user allowed to run the script (`auth: token`). `Idempotency-Key` (or the trigger's payload key) makes a repeated event answer the process it started.",
            tags: ["triggers"],
            requestBodies: { "application/json": { type: "object", description: "the event" } },
            responses: {
              "200": {
                description: "a repeated event: the process it started",
                schema: ref("TriggerAccepted"),
              },
              "202": { description: "a new event: its process", schema: ref("TriggerAccepted") },
              "400": "the body is not JSON",
              "401": "bad, missing or expired signature; or no valid token",
              "404": "no such trigger",
              "422": "the payload does not map to valid parameters (each named in errors)",
              "429": "over the trigger's rate limit (Retry-After)",
            },
          },
        },
      },
      async (request: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply) => {
        const trigger = byName.get(request.params.name);
        if (!trigger || trigger.folder)
          throw new NotFoundError(`no webhook trigger named '${request.params.name}'`);
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const now = ctx.engine.clock.now();
        let signatureKey: string | undefined;
        let userId: string | undefined;
        if (trigger.auth === "hmac") {
          const secret = trigger.secret ? readTriggerSecret(trigger.secret, baseDir) : undefined;
          const header = request.headers[SIGNATURE_HEADER];
          const check = secret
            ? checkSignature(secret, raw, Array.isArray(header) ? header[0] : header, now)
            : ({ ok: false, reason: "the trigger's secret cannot be read" } as const);
          if (!check.ok)
            throw refuse(trigger.name, new UnauthenticatedError(`event refused: ${check.reason}`));
          signatureKey = `sig:${check.t}:${check.v1}`;
        } else {
          let principal: Awaited<ReturnType<typeof authenticate>>;
          try {
            principal = await authenticate(request, ctx.users, ctx.sessions);
          } catch {
            throw refuse(trigger.name, new UnauthenticatedError());
          }
          if (!mayRun(principal, trigger.script, ctx.engine.config.scripts))
            throw refuse(
              trigger.name,
              new UnauthenticatedError(
                `user '${principal.user.name}' may not run script '${trigger.script}'`,
              ),
            );
          userId = principal.user.id;
        }
        const wait = limiters.get(trigger.name)?.take(now) ?? 0;
        if (wait > 0) {
          reply.header("retry-after", String(wait));
          throw refuse(
            trigger.name,
            new TooManyRequestsError(
              `trigger '${trigger.name}' is over its rate limit (${trigger.rateLimitText})`,
              wait,
            ),
          );
        }
        let payload: unknown;
        try {
          payload = JSON.parse(raw.toString("utf8") || "null");
        } catch (err) {
          throw refuse(
            trigger.name,
            new MalformedRequestError(`the event is not JSON: ${(err as Error).message}`),
          );
        }
        const idem = request.headers["idempotency-key"];
        const received = await receiveEvent(ctx.engine, trigger, {
          payload,
          ...(typeof idem === "string" && idem !== "" ? { idempotencyHeader: idem } : {}),
          ...(signatureKey ? { signatureKey } : {}),
          ...(userId ? { userId } : {}),
        });
        if (received.kind === "invalid")
          throw refuse(
            trigger.name,
            new UnprocessableError(
              `the event does not map to valid parameters of '${trigger.script}': ${received.problems.map((p) => p.message).join("; ")}`,
              received.problems,
            ),
          );
        const processId = received.kind === "started" ? received.process.id : received.processId;
        const href = `${origin(request)}/api/system/processes/${processId}`;
        ctx.metrics.countTrigger(trigger.name, received.kind === "started" ? "accepted" : "repeated");
        return reply
          .code(received.kind === "started" ? 202 : 200)
          .header("location", href)
          .type("application/hal+json")
          .send({
            trigger: trigger.name,
            processId,
            repeated: received.kind === "repeated",
            _links: { process: { href } },
          });
      },
    );
  });
}
