import type { NightshiftConfig } from "../config/config.js";
import { FOLLOW_FALLBACK_MS } from "../engine/log-reader.js";

/** How the HTTP server behaves; everything has a default from the config. */
export interface ServerOptions {
  /** Honour X-Forwarded-Proto/Host (behind a TLS-terminating proxy). Default: config `trustProxy` or false. */
  readonly trustProxy?: boolean;
  /** Session lifetime (default 12 h). */
  readonly sessionTtlMs?: number;
  /** Total bytes of the files of one POST (default: config uploadLimitBytes). */
  readonly uploadLimitBytes?: number;
  /** Fastify's logger (default off; `serve` turns it on at warn). */
  readonly logger?: boolean | { level: string };
  /** Whether this server's dispatcher runs (for /readyz); default: always ready. */
  readonly ready?: () => boolean;
  /**
   * How long an SSE log stream waits for a wake-up (a line written, the process ended: events, a directory
   * watch or PostgreSQL notifications) before it looks anyway (default 2 s), and how often it sends a
   * keep-alive comment (15 s).
   */
  readonly ssePollMs?: number;
  readonly sseKeepAliveMs?: number;
  /**
   * The environment that service accounts' `env:` secrets are read from ("check access", the doctor); serve
   * passes its own, which holds the built-in sandbox account's. Default: process.env.
   */
  readonly accountEnv?: NodeJS.ProcessEnv;
  /** The built web UI's folder (default: web/dist of this installation). */
  readonly webRoot?: string;
}

export type ResolvedServerOptions = Required<Omit<ServerOptions, "webRoot">>;

export function resolveServerOptions(config: NightshiftConfig, o: ServerOptions = {}): ResolvedServerOptions {
  return {
    trustProxy: o.trustProxy ?? config.raw.trustProxy === true,
    sessionTtlMs: o.sessionTtlMs ?? 12 * 3600_000,
    uploadLimitBytes: o.uploadLimitBytes ?? config.uploadLimitBytes,
    logger: o.logger ?? false,
    ready: o.ready ?? (() => true),
    ssePollMs: o.ssePollMs ?? FOLLOW_FALLBACK_MS,
    sseKeepAliveMs: o.sseKeepAliveMs ?? 15_000,
    accountEnv: o.accountEnv ?? process.env,
  };
}
