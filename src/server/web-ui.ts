/**
 * The browser UI (web/, built by `npm run build` into web/dist) served from the same origin: `/` and
 * `/assets/*` as files, and every other GET a browser navigates to (not /api, not a server endpoint) answers
 * index.html so that the UI's own paths (/processes/7) survive a reload. Without a build, `/` says how to make
 * one. The UI loads nothing from outside: the Content-Security-Policy keeps it that way.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** web/dist beside src/ (sources) or dist/ (build): both are two levels below the repository. */
export const WEB_ROOT = fileURLToPath(new URL("../../web/dist/", import.meta.url));

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Paths the server answers itself: never the UI's index.html (a mistyped API URL is a 404 problem). */
const SERVER_PATHS = /^\/(api|healthz|readyz|metrics|assets)(\/|$)/;

const hidden = { auth: "public", hidden: true } as const;

export function isUiNavigation(request: FastifyRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const path = request.url.split("?")[0];
  return !SERVER_PATHS.test(path) && !/\.[a-z0-9]+$/i.test(path);
}

export async function webUiRoutes(app: FastifyInstance, root = WEB_ROOT): Promise<void> {
  const built = existsSync(`${root}index.html`);
  await app.register(fastifyStatic, { root, serve: false });
  const index = (reply: FastifyReply) => {
    if (!built)
      return reply
        .code(404)
        .type("text/plain; charset=utf-8")
        .send("The web UI is not built: run `npm run build` (the REST API is at /api).\n");
    return reply
      .header("content-security-policy", CSP)
      .header("cache-control", "no-cache")
      .header("x-content-type-options", "nosniff")
      .sendFile("index.html", { cacheControl: false });
  };
  app.get("/", { config: hidden }, (_request, reply) => index(reply));
  app.get<{ Params: { "*": string } }>("/assets/*", { config: hidden }, (request, reply) =>
    // Vite names assets by their content hash: they never change under the same name.
    reply
      .header("x-content-type-options", "nosniff")
      .sendFile(`assets/${request.params["*"]}`, { immutable: true, maxAge: "365d" }),
  );
  app.decorate("sendWebUi", index);
}

declare module "fastify" {
  interface FastifyInstance {
    /** Answers the UI's index.html (the SPA fallback). */
    sendWebUi(reply: FastifyReply): FastifyReply;
  }
  interface FastifyContextConfig {
    /** Left out of the OpenAPI document (the UI's files). */
    hidden?: boolean;
  }
}
