/**
 * The kept answers of the process lists: one marker at a time, from a page's second ask, bounded in bytes,
 * nothing without a marker.
 */
import { describe, expect, it } from "vitest";
import { type CachedPage, createPageCache } from "../src/server/page-cache.js";

const page = (text: string): CachedPage => ({ body: Buffer.from(text), etag: `W/"${text}"` });

describe("page cache", () => {
  it("answers what was kept under the same marker, nothing under another", () => {
    const pages = createPageCache();
    const kept = pages.keep("a", "1:2", page("first"));
    expect(pages.get("a", "1:2")).toBe(kept);
    expect(pages.get("b", "1:2")).toBeUndefined();
    expect(pages.get("a", "1:3")).toBeUndefined();
  });

  it("drops every page of an older marker once a page of a newer one is kept", () => {
    const pages = createPageCache();
    pages.keep("a", "1:2", page("a1"));
    pages.keep("b", "1:2", page("b1"));
    pages.keep("a", "2:2", page("a2"));
    expect(pages.get("a", "2:2")?.body.toString()).toBe("a2");
    expect(pages.get("b", "2:2")).toBeUndefined();
    expect(pages.get("b", "1:2")).toBeUndefined(); // the old marker is gone, not kept beside
  });

  it("a page is worth keeping from its second ask under one marker; a new marker starts the count again", () => {
    const pages = createPageCache();
    expect(pages.worthKeeping("a", "1:1")).toBe(false);
    expect(pages.worthKeeping("b", "1:1")).toBe(false);
    expect(pages.worthKeeping("a", "1:1")).toBe(true);
    expect(pages.worthKeeping("b", "1:2")).toBe(false); // asked once under 1:1 only
    expect(pages.worthKeeping("b", "1:2")).toBe(true);
    expect(pages.worthKeeping("a", "1:2")).toBe(false);
  });

  it("keeps nothing without a marker (PostgreSQL)", () => {
    const pages = createPageCache();
    expect(pages.worthKeeping("a", undefined)).toBe(false);
    expect(pages.worthKeeping("a", undefined)).toBe(false);
    const p = page("x");
    expect(pages.keep("a", undefined, p)).toBe(p);
    expect(pages.get("a", undefined)).toBeUndefined();
  });

  it("stays within its bytes: the oldest pages go first, a page larger than the whole is not kept", () => {
    const pages = createPageCache(10);
    pages.keep("a", "m", page("aaaa"));
    pages.keep("b", "m", page("bbbb"));
    pages.keep("c", "m", page("cccc")); // 12 bytes: a goes
    expect(pages.get("a", "m")).toBeUndefined();
    expect(pages.get("b", "m")?.body.toString()).toBe("bbbb");
    expect(pages.get("c", "m")?.body.toString()).toBe("cccc");
    pages.keep("b", "m", page("bb")); // replaced, not counted twice: 6 bytes, nothing else goes
    expect(pages.get("c", "m")?.body.toString()).toBe("cccc");
    pages.keep("huge", "m", page("0123456789A"));
    expect(pages.get("huge", "m")).toBeUndefined();
    expect(pages.get("b", "m")?.body.toString()).toBe("bb");
  });
});
