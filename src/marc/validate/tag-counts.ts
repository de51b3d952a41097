/**
 * Occurrence counting per tag without allocating per record: numeric tags index a stamped array (a count is
 * valid only when its stamp is the current record's), other tags fall back to a Map.
 */

/** What the profile checks may ask about the record's tags. */
export interface TagCounts {
  /** How many fields the record has with `tag`. */
  count(tag: string): number;
  has(tag: string): boolean;
}

/** 0-999 for three ASCII digits, -1 otherwise. */
export function tagNumber(tag: string): number {
  if (tag.length !== 3) return -1;
  const a = tag.charCodeAt(0) - 48;
  const b = tag.charCodeAt(1) - 48;
  const c = tag.charCodeAt(2) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  return a * 100 + b * 10 + c;
}

/** One counter is reused for every record: `start()` forgets the previous record in O(1). */
export class TagCounter implements TagCounts {
  private readonly counts = new Uint32Array(1000);
  private readonly stamps = new Uint32Array(1000);
  private readonly others = new Map<string, number>();
  private generation = 0;

  start(): void {
    this.generation = this.generation === 0xffffffff ? 1 : this.generation + 1;
    if (this.generation === 1) this.stamps.fill(0);
    if (this.others.size > 0) this.others.clear();
  }

  /** Counts one more field with `tag` (`n` = tagNumber(tag)) and returns its 1-based occurrence. */
  add(tag: string, n: number): number {
    if (n < 0) {
      const next = (this.others.get(tag) ?? 0) + 1;
      this.others.set(tag, next);
      return next;
    }
    if (this.stamps[n] !== this.generation) {
      this.stamps[n] = this.generation;
      this.counts[n] = 0;
    }
    return ++this.counts[n];
  }

  count(tag: string): number {
    const n = tagNumber(tag);
    if (n < 0) return this.others.get(tag) ?? 0;
    return this.stamps[n] === this.generation ? this.counts[n] : 0;
  }

  has(tag: string): boolean {
    return this.count(tag) > 0;
  }
}
