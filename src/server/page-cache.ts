/**
 * Answers kept while the store is unchanged: the process lists the web UI polls are the same bytes from one
 * write to the next, and building one (two queries, twenty views, JSON, its ETag) costs far more than
 * sending it again. Every entry belongs to one change marker (store/queries/change-marker.ts): once the
 * marker moves, all of them are dropped. Without a marker (PostgreSQL) nothing is kept.
 *
 * ```ts
 * const pages = createPageCache();
 * pages.get(key, marker) ?? pages.keep(key, marker, await build());
 * ```
 */

/** A serialised answer and its ETag. */
export interface CachedPage {
  readonly body: Buffer;
  readonly etag: string;
}

export interface PageCache {
  /** The answer kept for `key` under this marker, if any. */
  get(key: string, marker: string | undefined): CachedPage | undefined;
  /** Keeps `page` for `key` under `marker` (nothing without a marker), and returns it. */
  keep(key: string, marker: string | undefined, page: CachedPage): CachedPage;
}

/** Bytes kept at most: enough for many pages of 20 (about 20 KB each) and a few of 1,000 (about 1 MB). */
export const PAGE_CACHE_BYTES = 8 * 1024 * 1024;

export function createPageCache(maxBytes = PAGE_CACHE_BYTES): PageCache {
  let current: string | undefined;
  let bytes = 0;
  const pages = new Map<string, CachedPage>();
  return {
    get(key, marker) {
      return marker !== undefined && marker === current ? pages.get(key) : undefined;
    },
    keep(key, marker, page) {
      if (marker === undefined || page.body.length > maxBytes) return page;
      if (marker !== current) {
        pages.clear();
        bytes = 0;
        current = marker;
      }
      const old = pages.get(key);
      if (old !== undefined) {
        pages.delete(key);
        bytes -= old.body.length;
      }
      // The oldest first: a Map iterates in insertion order.
      for (const [k, p] of pages) {
        if (bytes + page.body.length <= maxBytes) break;
        pages.delete(k);
        bytes -= p.body.length;
      }
      pages.set(key, page);
      bytes += page.body.length;
      return page;
    },
  };
}
