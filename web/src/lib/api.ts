/**
 * The REST API as the UI uses it: same origin, the session cookie, and the CSRF token (the readable
 * `nightshift_csrf` cookie echoed in `X-CSRF-Token`) on every write. Errors are RFC 9457 problems.
 */

export interface FieldProblem {
  readonly parameter: string;
  readonly message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: readonly FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** Called when a request answers 401 (the session ended): the app shows the sign-in page. */
let onUnauthenticated: () => void = () => {};
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)nightshift_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]) : undefined;
}

export interface RequestOptions {
  readonly method?: string;
  readonly json?: unknown;
  readonly body?: FormData;
  readonly accept?: string;
  readonly signal?: AbortSignal;
}

/** A request; rejects with ApiError on any status >= 400. */
export async function request(path: string, o: RequestOptions = {}): Promise<Response> {
  const method = o.method ?? "GET";
  const headers: Record<string, string> = { accept: o.accept ?? "application/json" };
  if (method !== "GET" && method !== "HEAD") {
    const token = csrfToken();
    if (token) headers["x-csrf-token"] = token;
  }
  let body: BodyInit | undefined = o.body;
  if (o.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(o.json);
  }
  const response = await fetch(path, { method, headers, body, credentials: "same-origin", signal: o.signal });
  if (response.ok) return response;
  let detail = `${response.status} ${response.statusText}`;
  let errors: FieldProblem[] = [];
  try {
    const problem = (await response.json()) as { detail?: string; title?: string; errors?: FieldProblem[] };
    detail = problem.detail ?? problem.title ?? detail;
    errors = problem.errors ?? [];
  } catch {
    // not a problem document: keep the status line
  }
  if (response.status === 401 && !path.startsWith("/api/auth/login")) onUnauthenticated();
  throw new ApiError(response.status, detail, errors);
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return (await request(path, { signal })).json() as Promise<T>;
}

export async function sendJson<T>(method: string, path: string, json?: unknown): Promise<T | undefined> {
  const response = await request(path, { method, json });
  if (response.status === 204) return undefined;
  return response.json() as Promise<T>;
}

/** A relative path from one of the API's absolute links (the UI always talks to its own origin). */
export function pathOf(href: string): string {
  const url = new URL(href, window.location.origin);
  return url.pathname + url.search;
}

/** True when the server has no such route yet (an endpoint still to come): 404 with "no route". */
export function isMissingRoute(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404 && /^no route /.test(err.message);
}
