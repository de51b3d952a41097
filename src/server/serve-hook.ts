import type { NightshiftConfig } from "../config/config.js";
import type { ServerEngine } from "./context.js";
import { initialAdminText, startServer } from "./start.js";

/**
 * What `nightshift serve` mounts (its HOOK imports this by name): the REST API on the config's host and
 * port; on a first start the new admin's credentials are printed once (and are in the 0600 file).
 */
export async function startHttpServer(o: {
  engine: ServerEngine;
  config: NightshiftConfig;
  /** Whether serve's dispatcher is claiming work (for /readyz). */
  ready?: () => boolean;
  /** Where service accounts' `env:` secrets are read (with the built-in sandbox's); default process.env. */
  accountEnv?: NodeJS.ProcessEnv;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server = await startServer(o.engine, {
    port: o.config.port,
    host: o.config.host,
    logger: { level: "error" },
    ...(o.ready ? { ready: o.ready } : {}),
    ...(o.accountEnv ? { accountEnv: o.accountEnv } : {}),
  });
  if (server.initialAdmin) process.stdout.write(initialAdminText(server.initialAdmin));
  return { url: server.url, close: server.close };
}
