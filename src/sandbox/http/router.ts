/** A small method + path router: `/worldcat/manage/bibs/:ocn` style patterns, first match wins. */
import type { Caller, Operation } from "../domain/institution.js";
import type { SandboxEnv } from "../env.js";
import type { RequestContext } from "./context.js";
import type { ErrorStyle } from "./error-bodies.js";
import type { Reply } from "./reply.js";

export interface RouteInput {
  readonly ctx: RequestContext;
  readonly env: SandboxEnv;
  readonly params: Readonly<Record<string, string>>;
  /** Set when the route names an operation (authenticated and scope-checked before the handler runs). */
  readonly caller: Caller;
}

export interface Route {
  readonly method: string;
  readonly pattern: string;
  readonly style: ErrorStyle;
  /** Operation whose scope the caller needs; undefined = no authentication (token servers, control). */
  readonly op?: Operation;
  handle(input: RouteInput): Promise<Reply> | Reply;
}

interface Compiled {
  readonly route: Route;
  readonly regex: RegExp;
  readonly names: string[];
}

export interface Match {
  readonly route: Route;
  readonly params: Record<string, string>;
}

export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => {
      const names: string[] = [];
      const source = route.pattern.replace(/:([a-zA-Z]+)/g, (_, n: string) => {
        names.push(n);
        return "([^/]+)";
      });
      return { route, regex: new RegExp(`^${source}$`), names };
    });
  }

  /** The route for method and path; `methodMismatch` when the path exists under another method only. */
  find(method: string, path: string): Match | { methodMismatch: boolean } {
    let mismatch = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(path);
      if (!m) continue;
      if (c.route.method !== method) {
        mismatch = true;
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        params[n] = m[i + 1];
      });
      return { route: c.route, params };
    }
    return { methodMismatch: mismatch };
  }
}
