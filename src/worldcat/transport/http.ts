/**
 * One HTTP exchange over node:http / node:https with a keep-alive Agent (a real connection pool),
 * a connect timeout and a read (idle) timeout. No retries here: see transport.ts.
 */
import http from "node:http";
import https from "node:https";

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
  readonly signal?: AbortSignal;
  /**
   * Use a new connection instead of a pooled one. Creates do: a pooled socket the server is just closing
   * would fail in a way we could not tell apart from "sent and maybe processed".
   */
  readonly freshConnection?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface Timeouts {
  /** TCP (and TLS) connect, ms. Default 10 s. */
  readonly connectMs: number;
  /** Longest silence while sending or waiting for the response, ms. Default 60 s. */
  readonly readMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = Object.freeze({ connectMs: 10_000, readMs: 60_000 });

/** No response came back. `sent` tells whether the request may have reached the server. */
export class NetworkFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly sent: boolean,
  ) {
    super(message);
    this.name = "NetworkFailure";
  }
}

/** A keep-alive pool for both schemes, bounded to `maxSockets` connections per origin. */
export interface ConnectionPool {
  readonly http: http.Agent;
  readonly https: https.Agent;
  close(): void;
}

export function createConnectionPool(maxSockets: number): ConnectionPool {
  // Idle sockets are dropped after 4 s, under Node's and most servers' 5 s keep-alive timeout,
  // so we rarely write to a socket the server is closing.
  const options = {
    keepAlive: true,
    maxSockets,
    maxFreeSockets: maxSockets,
    timeout: 4_000,
    scheduling: "lifo" as const,
  };
  const pool = { http: new http.Agent(options), https: new https.Agent(options) };
  return {
    ...pool,
    close: () => {
      pool.http.destroy();
      pool.https.destroy();
    },
  };
}

/** Sends one request and reads the whole response body as UTF-8 text. */
export function sendHttp(req: HttpRequest, pool: ConnectionPool, timeouts: Timeouts): Promise<HttpResponse> {
  return new Promise((resolvePromise, rejectPromise) => {
    const url = new URL(req.url);
    const isHttps = url.protocol === "https:";
    const body =
      req.body === undefined
        ? undefined
        : Buffer.isBuffer(req.body)
          ? req.body
          : Buffer.from(req.body, "utf8");
    const headers: Record<string, string> = { ...req.headers };
    headers["content-length"] = String(body?.length ?? 0);
    let sent = false;
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const fail = (code: string, message: string, wasSent = sent): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      rejectPromise(new NetworkFailure(code, message, wasSent));
    };

    const request = (isHttps ? https : http).request(url, {
      method: req.method,
      headers,
      agent: req.freshConnection ? false : isHttps ? pool.https : pool.http,
      signal: req.signal,
    });

    request.on("socket", (socket) => {
      if (!socket.connecting) {
        sent = true; // reused keep-alive socket: bytes go out at once
        return;
      }
      connectTimer = setTimeout(() => {
        fail("CONNECT_TIMEOUT", `connect timed out after ${timeouts.connectMs} ms`, false);
        request.destroy();
      }, timeouts.connectMs);
      socket.once("connect", () => {
        clearTimeout(connectTimer);
        sent = true;
      });
    });
    request.setTimeout(timeouts.readMs, () => {
      fail("READ_TIMEOUT", `no response within ${timeouts.readMs} ms`);
      request.destroy();
    });
    request.on("error", (err: NodeJS.ErrnoException) => {
      if (err.name === "AbortError") {
        if (!settled) {
          settled = true;
          clearTimeout(connectTimer);
          rejectPromise(req.signal?.reason ?? err);
        }
        return;
      }
      fail(err.code ?? "NETWORK", err.message);
    });
    request.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (err: NodeJS.ErrnoException) => fail(err.code ?? "NETWORK", err.message, true));
      res.on("aborted", () => fail("ECONNRESET", "connection closed while reading the response", true));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        resolvePromise({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    request.end(body);
  });
}
