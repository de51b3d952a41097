/** HAL helpers: absolute links from the configured public URL or the request's origin, and paged collections. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { MalformedRequestError } from "./errors.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Where links point: the config's `publicUrl`, else the origin the client reached (see `linkBase`). */
    readonly linkBase: string;
  }
}

export interface Link {
  readonly href: string;
}

/** A host name, IPv4 or bracketed IPv6 address, and an optional port: nothing else may go into a link. */
const HOST =
  /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::(\d{1,5}))?$/;

/**
 * Makes `request.linkBase` the configured `publicUrl` (links then cannot be moved by a forged Host header) or,
 * without one, `http://host:port` as the client reached us (X-Forwarded-* honoured when trustProxy is on). A
 * Host (or forwarded host/protocol) that is not a valid origin is a 400, never a link or a 500.
 */
export function decorateLinkBase(app: FastifyInstance, publicUrl: string | undefined): void {
  app.decorateRequest("linkBase", {
    getter(this: FastifyRequest) {
      if (publicUrl) return publicUrl;
      const host = this.host;
      const m = typeof host === "string" ? HOST.exec(host) : null;
      if (!m || (m[1] !== undefined && Number(m[1]) > 65535))
        throw new MalformedRequestError(
          `the Host header ${JSON.stringify(host ?? "")} is not a valid host name or address with an optional port`,
        );
      const protocol = this.protocol;
      if (protocol !== "http" && protocol !== "https")
        throw new MalformedRequestError(
          `the forwarded protocol ${JSON.stringify(protocol)} is not http or https`,
        );
      return `${protocol}://${host}`;
    },
  });
}

/** Where links point: see `decorateLinkBase`. */
export function origin(request: FastifyRequest): string {
  return request.linkBase;
}

export interface PageInfo {
  readonly page: number;
  readonly size: number;
  readonly total: number;
}

/** The `page` object of the contract. */
export function pageObject(p: PageInfo) {
  return {
    size: p.size,
    totalElements: p.total,
    totalPages: Math.ceil(p.total / p.size),
    number: p.page,
  };
}

function withPage(url: URL, page: number): Link {
  const u = new URL(url);
  u.searchParams.set("page", String(page));
  return { href: u.toString() };
}

/**
 * ```ts
 * pagedBody(request, "processes", items, { page: 0, size: 20, total: 45 })
 * // { _embedded: { processes: [...] }, _links: { self, first, next, last }, page: { size: 20, totalElements: 45, totalPages: 3, number: 0 } }
 * ```
 */
export function pagedBody(request: FastifyRequest, name: string, items: readonly unknown[], p: PageInfo) {
  const url = new URL(request.url, origin(request));
  const pages = Math.ceil(p.total / p.size);
  const links: Record<string, Link> = { self: { href: url.toString() } };
  if (pages > 0) {
    links.first = withPage(url, 0);
    if (p.page > 0) links.prev = withPage(url, Math.min(p.page - 1, pages - 1));
    if (p.page + 1 < pages) links.next = withPage(url, p.page + 1);
    links.last = withPage(url, pages - 1);
  }
  return { _embedded: { [name]: items }, _links: links, page: pageObject(p) };
}
