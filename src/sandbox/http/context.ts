/** One request as the routes see it: method, path, query, headers, body on demand. */
import type { IncomingMessage } from "node:http";
import { PayloadTooLargeError } from "../errors.js";

/** Request bodies above this are refused (a MARC record is a few KB; a batch file does not belong here). */
export const MAX_BODY = 5 * 1024 * 1024;

export interface RequestContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** The request target as sent (path and query), for HMAC verification. */
  readonly rawUrl: string;
  readonly headers: IncomingMessage["headers"];
  body(): Promise<Buffer>;
}

export function createContext(req: IncomingMessage): RequestContext {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  let body: Promise<Buffer> | undefined;
  return {
    method: req.method ?? "GET",
    path: path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path,
    query: new URLSearchParams(q < 0 ? "" : rawUrl.slice(q + 1)),
    rawUrl,
    headers: req.headers,
    body: () => {
      body ??= readBody(req);
      return body;
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new PayloadTooLargeError(`Request body larger than ${MAX_BODY} bytes`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Reads the whole body so an early reply does not leave unread data on a keep-alive connection. */
export async function drain(ctx: RequestContext): Promise<void> {
  await ctx.body().catch(() => undefined);
}
