import type { FastifyInstance } from "fastify";
import { ensureInitialAdmin, type InitialAdmin } from "./auth/initial-admin.js";
import { createUserDirectory } from "./auth/users.js";
import type { ServerEngine } from "./context.js";
import type { ServerOptions } from "./options.js";
import { createServer } from "./server.js";

export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` it listens on. */
  readonly url: string;
  /** Set on a first start with no users: print it once. */
  readonly initialAdmin?: InitialAdmin;
  close(): Promise<void>;
}

export interface StartServerOptions extends ServerOptions {
  /** Default: the config's port (0 = any free port). */
  readonly port?: number;
  readonly host?: string;
  /** Create the first admin when there are no users (default true). */
  readonly bootstrapAdmin?: boolean;
}

/**
 * Starts the REST API on an engine (the hook `nightshift serve` calls).
 *
 * ```ts
 * const server = await startServer(engine);
 * if (server.initialAdmin) console.log(server.initialAdmin.token);
 * ```
 */
export async function startServer(
  engine: ServerEngine,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const initialAdmin =
    options.bootstrapAdmin === false
      ? undefined
      : await ensureInitialAdmin(createUserDirectory(engine.store), engine.config.dataDir);
  const app = await createServer(engine, options);
  await app.listen({ port: options.port ?? engine.config.port, host: options.host ?? engine.config.host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host ?? engine.config.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return { app, url, initialAdmin, close: () => app.close() };
}

/** The lines `serve` prints once on a first start. */
export function initialAdminText(admin: InitialAdmin): string {
  return [
    "Created the first admin user (shown once; also written to a file only you can read):",
    `  user:     ${admin.name}`,
    `  password: ${admin.password}`,
    `  token:    ${admin.token}`,
    `  file:     ${admin.file}`,
    "",
  ].join("\n");
}
