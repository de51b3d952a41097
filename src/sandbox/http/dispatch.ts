/**
 * Runs one request through its route: authentication and scope for API routes, the handler, and OCLC-shaped
 * errors for whatever goes wrong. Never throws.
 */
import { STATUS_CODES } from "node:http";
import { authenticate, requireScope } from "../auth/authenticate.js";
import type { Caller } from "../domain/institution.js";
import type { SandboxEnv } from "../env.js";
import { SandboxApiError } from "../errors.js";
import { drain, type RequestContext } from "./context.js";
import { type ErrorStyle, renderError } from "./error-bodies.js";
import type { Reply } from "./reply.js";
import type { Router } from "./router.js";

export function styleForPath(path: string): ErrorStyle {
  if (path.startsWith("/worldcat") || path.startsWith("/_sandbox")) return "v2";
  if (path === "/token") return "token";
  if (path.startsWith("/oauth2")) return "legacy-token";
  return "v1";
}

/** An error of a given HTTP status in the API's own shape (injected faults, 404 / 405 on unknown paths). */
export function statusError(
  status: number,
  description?: string,
  headers: Record<string, string> = {},
): SandboxApiError {
  const title = STATUS_CODES[status] ?? "Error";
  const err = new SandboxApiError(
    status,
    title.toUpperCase().replace(/\W+/g, "_"),
    title,
    description ?? title,
  );
  return Object.assign(err, { extraHeaders: headers });
}

export function errorReply(style: ErrorStyle, err: unknown): Reply {
  if (err instanceof SandboxApiError) {
    const reply = renderError(style, err);
    const extra = (err as { extraHeaders?: Record<string, string> }).extraHeaders;
    return extra ? { ...reply, headers: { ...reply.headers, ...extra } } : reply;
  }
  return renderError(style, statusError(500, "Internal error in the sandbox"));
}

export async function dispatch(router: Router, env: SandboxEnv, ctx: RequestContext): Promise<Reply> {
  const found = router.find(ctx.method, ctx.path);
  if (!("route" in found)) {
    await drain(ctx);
    const status = found.methodMismatch ? 405 : 404;
    return errorReply(
      styleForPath(ctx.path),
      statusError(status, `${ctx.method} ${ctx.path} is not served here`),
    );
  }
  const { route, params } = found;
  const key = `${route.method} ${route.pattern}`;
  env.state.counters.byRoute[key] = (env.state.counters.byRoute[key] ?? 0) + 1;
  try {
    let caller = undefined as unknown as Caller;
    if (route.op) {
      try {
        caller = authenticate(env, ctx);
        requireScope(caller, route.op);
      } catch (err) {
        // Credentials are checked at OCLC's gateway, before the service: plain <error>, never an Atom entry.
        await drain(ctx);
        return errorReply(route.style === "v1-atom" ? "v1" : route.style, err);
      }
    }
    return await route.handle({ ctx, env, params, caller });
  } catch (err) {
    await drain(ctx);
    if (!(err instanceof SandboxApiError))
      process.stderr.write(`sandbox: ${key}: ${(err as Error)?.stack ?? err}\n`);
    return errorReply(route.style, err);
  }
}
