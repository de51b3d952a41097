/**
 * A reply built by a route and sent (or, for an injected timeout, withheld) by the server. Routes never
 * write to the socket themselves, so "apply the change, then never answer" is one decision in one place.
 */
export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { "content-type": "application/json;charset=UTF-8", ...headers },
    body: JSON.stringify(value),
  };
}

/** JSON with `Content-Type: application/json` and no charset, as the live match, validate and branch answers. */
export function jsonNoCharset(status: number, value: unknown): Reply {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}

export function xml(status: number, body: string, contentType = "application/xml;charset=UTF-8"): Reply {
  return { status, headers: { "content-type": contentType }, body };
}

export function empty(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers, body: "" };
}
