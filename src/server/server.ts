/**
 * The REST API on Fastify: authentication hook, problem+json errors, the contract's routes, OpenAPI.
 *
 * ```ts
 * const app = await createServer(engine);
 * await app.listen({ port: 0, host: "127.0.0.1" });
 * ```
 */
import multipart from "@fastify/multipart";
import Fastify, { type FastifyInstance } from "fastify";
import { openSchedules } from "../schedule/index.js";
import { configTriggers } from "../trigger/definition.js";
import { authenticate } from "./auth/authenticate.js";
import { createSessions } from "./auth/sessions.js";
import { createUserDirectory } from "./auth/users.js";
import type { ServerContext, ServerEngine } from "./context.js";
import { NotFoundError } from "./errors.js";
import { decorateLinkBase } from "./hal.js";
import { halContentType } from "./hal-type.js";
import { createServerMetrics } from "./metrics/collector.js";
import { type CollectedRoute, openApiDocument } from "./openapi/document.js";
import { resolveServerOptions, type ServerOptions } from "./options.js";
import { handleError, sendProblem, toProblem } from "./problem.js";
import { accountRoutes } from "./routes/accounts.js";
import { authRoutes } from "./routes/auth.js";
import { doctorRoutes } from "./routes/doctor.js";
import { notificationRoutes } from "./routes/notifications.js";
import { processActionRoutes } from "./routes/process-actions.js";
import { processFileRoutes } from "./routes/process-files.js";
import { processOutputRoutes } from "./routes/process-output.js";
import { processStartRoutes } from "./routes/process-start.js";
import { processRoutes } from "./routes/processes.js";
import { scheduleRoutes } from "./routes/schedules.js";
import { scriptRoutes } from "./routes/scripts.js";
import { systemRoutes } from "./routes/system.js";
import { tokenRoutes } from "./routes/tokens.js";
import { triggerRoutes } from "./routes/triggers.js";
import { userRoutes } from "./routes/users.js";
import { FIELD_LIMIT_BYTES, PART_LIMITS } from "./upload.js";
import { isUiNavigation, webUiRoutes } from "./web-ui.js";

export const API_VERSION = "0.1.0";

export async function createServer(
  engine: ServerEngine,
  options: ServerOptions = {},
): Promise<FastifyInstance> {
  const opts = resolveServerOptions(engine.config, options);
  const app = Fastify({
    logger: opts.logger,
    trustProxy: opts.trustProxy,
    bodyLimit: 1024 * 1024,
    // A collection URL with a trailing slash answers as without it, as DSpace's does (ProcessRestRepositoryIT
    // getAllProcessesTestAdmin lists /api/system/processes/).
    routerOptions: { ignoreTrailingSlash: true },
    // Query strings like ?follow=true and ?page=2 are typed by the route schemas.
    ajv: {
      customOptions: {
        coerceTypes: "array",
        removeAdditional: false,
        allErrors: true,
        allowUnionTypes: true,
      },
    },
  });
  decorateLinkBase(app, engine.config.publicUrl);
  const ctx: ServerContext = {
    engine,
    users: createUserDirectory(engine.store, () => engine.clock.now()),
    sessions: createSessions(engine.store, opts.sessionTtlMs, () => engine.clock.now()),
    metrics: createServerMetrics(engine.events, {
      node: engine.config.nodeName,
      workerId: engine.workerId,
    }),
    options: opts,
  };
  await app.register(multipart, {
    preservePath: true, // keep client paths so that traversal attempts are seen and refused, not trimmed
    limits: { fileSize: opts.uploadLimitBytes, fieldSize: FIELD_LIMIT_BYTES, ...PART_LIMITS },
  });

  const routes: CollectedRoute[] = [];
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (route.config?.hidden) return;
    for (const method of methods)
      routes.push({
        method,
        url: route.url,
        schema: route.schema,
        doc: route.config?.openapi,
        public: route.config?.auth === "public",
      });
  });
  let document: ReturnType<typeof openApiDocument> | undefined;
  const openApi = () => {
    document ??= openApiDocument(routes, API_VERSION);
    return document;
  };

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) =>
    isUiNavigation(request)
      ? app.sendWebUi(reply)
      : sendProblem(
          reply,
          toProblem(new NotFoundError(`no route ${request.method} ${request.url.split("?")[0]}`)),
        ),
  );
  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.config?.auth === "public" || !request.routeOptions.url) return;
    request.principal = await authenticate(request, ctx.users, ctx.sessions);
  });
  app.addHook("onResponse", async (request, reply) =>
    ctx.metrics.countResponse(request.method, reply.statusCode),
  );
  app.addHook("onClose", async () => ctx.metrics.close());
  app.addHook("preSerialization", halContentType);

  authRoutes(app, ctx);
  scriptRoutes(app, ctx);
  processStartRoutes(app, ctx);
  processRoutes(app, ctx);
  processActionRoutes(app, ctx);
  processOutputRoutes(app, ctx);
  processFileRoutes(app, ctx);
  scheduleRoutes(app, ctx, openSchedules(engine).service);
  notificationRoutes(app, ctx);
  accountRoutes(app, ctx);
  doctorRoutes(app, ctx);
  triggerRoutes(app, ctx, configTriggers(engine.config, engine.scripts));
  systemRoutes(app, ctx, openApi);
  userRoutes(app, ctx);
  tokenRoutes(app, ctx);
  await webUiRoutes(app, options.webRoot);
  return app;
}
