/** HAL helpers: absolute links from the request's origin, and paged collections. */
import type { FastifyRequest } from "fastify";

export interface Link {
  readonly href: string;
}

/** `http://host:port` as the client reached us (X-Forwarded-* honoured when trustProxy is on). */
export function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
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
