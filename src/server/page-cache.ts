/**
 * Answers kept while the store is unchanged: the process lists the web UI polls are the same bytes from one
 * write to the next, and building one (two queries, twenty views, JSON, its ETag) costs far more than
 * sending it again. Every entry belongs to one change marker (store/queries/change-marker.ts): once the
 * marker moves, all of them are dropped. Without a marker (PostgreSQL) nothing is kept.
 * A page is kept only from its second ask under one marker: while processes run, the marker moves between
 * most polls, and keeping pages that are never asked again made each of them cost more (they outlive the
 * young generation, and the garbage collector pays to move them) than building it fresh.
 *
 * ```ts
 * const kept = pages.get(key, marker);
 * if (kept === undefined && pages.worthKeeping(key, marker)) pages.keep(key, marker, await build());
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
  /** Whether a page built now for `key` is worth keeping: it was asked before under this marker. Counts this ask. */
  worthKeeping(key: string, marker: string | undefined): boolean;
  /** Keeps `page` for `key` under `marker` (nothing without a marker), and returns it. */
  keep(key: string, marker: string | undefined, page: CachedPage): CachedPage;
}

/** Keys remembered as asked once, at most (URLs that differ every time cannot grow memory without bound). */
const ASKED_KEYS = 10_000;

/** Bytes kept at most: enough for many pages of 20 (about 20 KB each) and a few of 1,000 (about 1 MB). */
export const PAGE_CACHE_BYTES = 8 * 1024 * 1024;

export function createPageCache(maxBytes = PAGE_CACHE_BYTES): PageCache {
  let current: string | undefined;
  let bytes = 0;
  const pages = new Map<string, CachedPage>();
  const asked = new Set<string>();
  const moveTo = (marker: string) => {
    if (marker === current) return;
    pages.clear();
    asked.clear();
    bytes = 0;
    current = marker;
  };
  return {
    get(key, marker) {
      return marker !== undefined && marker === current ? pages.get(key) : undefined;
    },
    worthKeeping(key, marker) {
      if (marker === undefined) return false;
      moveTo(marker);
      if (asked.has(key)) return true;
      if (asked.size >= ASKED_KEYS) asked.clear();
      asked.add(key);
      return false;
    },
    keep(key, marker, page) {
      if (marker === undefined || page.body.length > maxBytes) return page;
      moveTo(marker);
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
