import type { FastifyRequest } from "fastify";
import type { Engine } from "../engine/engine.js";
import type { Principal } from "./auth/principal.js";
import type { Sessions } from "./auth/sessions.js";
import type { UserDirectory } from "./auth/users.js";
import { UnauthenticatedError } from "./errors.js";
import type { ServerMetrics } from "./metrics/collector.js";
import type { ResolvedServerOptions } from "./options.js";

/** The parts of an engine the REST layer uses. */
export type ServerEngine = Pick<
  Engine,
  "config" | "store" | "scripts" | "events" | "service" | "clock" | "workerId" | "disk"
>;

/** What every route module gets. */
export interface ServerContext {
  readonly engine: ServerEngine;
  readonly users: UserDirectory;
  readonly sessions: Sessions;
  readonly metrics: ServerMetrics;
  readonly options: ResolvedServerOptions;
}

/** The authenticated caller (the hook has run on every non-public route). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new UnauthenticatedError();
  return request.principal;
}
