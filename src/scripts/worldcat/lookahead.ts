/**
 * Pre-checks in groups, a group ahead: WorldCat answers "current number" and "holding status" for 10
 * numbers per request, so a source is wrapped to read its items in groups of 10 and each item gets a
 * `lookup()` that asks for its whole group (and starts the next group's request), so a pre-check costs a
 * tenth of a request per item and the handler rarely waits for it. Groups are asked for only when an item
 * needs one: rows copied on resume cost nothing.
 *
 * ```ts
 * const source = withLookahead(numbers, async (ocns) => new Map((await wc.bibs.current(ocns)).map((c) => [c.requested, c])));
 * // in the handler: const cur = await item.payload.lookup(); // undefined when WorldCat has no such number
 * ```
 */
import type { BatchSource, SourceEntry } from "../../batch/index.js";

export interface Prefetched<P, X> {
  readonly value: P;
  /** The group's answer for this value (undefined when the answer leaves it out); rejects when the request failed. */
  lookup(): Promise<X | undefined>;
}

export type GroupLookup<P, X> = (values: P[]) => Promise<ReadonlyMap<P, X>>;

class Group<P, X> {
  readonly values: P[] = [];
  /**
   * Weak: a group is kept alive by its own items only. A strong link would chain every group to the next, so
   * one early item held anywhere would keep all later groups (a leak over a million numbers).
   */
  next: WeakRef<Group<P, X>> | undefined;
  private answer: Promise<ReadonlyMap<P, X>> | undefined;

  constructor(private readonly lookup: GroupLookup<P, X>) {}

  start(): Promise<ReadonlyMap<P, X>> {
    if (!this.answer) {
      this.answer = this.lookup(this.values);
      this.answer.catch(() => undefined); // awaited by the items; never an unhandled rejection
    }
    return this.answer;
  }
}

export function withLookahead<P, R, X>(
  source: BatchSource<P, R>,
  lookup: GroupLookup<P, X>,
  groupSize = 10,
  groupsAhead = 2,
): BatchSource<Prefetched<P, X>, R> {
  return {
    format: source.format,
    count: source.count ? () => source.count!() : undefined,
    failures: source.failures,
    entries: () => grouped(source, lookup, groupSize, groupsAhead),
  };
}

async function* grouped<P, R, X>(
  source: BatchSource<P, R>,
  lookup: GroupLookup<P, X>,
  groupSize: number,
  groupsAhead: number,
): AsyncGenerator<SourceEntry<Prefetched<P, X>, R>> {
  const it = source.entries()[Symbol.asyncIterator]();
  const buffer: SourceEntry<Prefetched<P, X>, R>[] = [];
  let done = false;
  let last: Group<P, X> | undefined;
  const readGroup = async () => {
    const group = new Group<P, X>(lookup);
    while (group.values.length < groupSize) {
      const next = await it.next();
      if (next.done) {
        done = true;
        break;
      }
      const entry = next.value;
      if (entry.invalid !== undefined) {
        buffer.push(entry as SourceEntry<Prefetched<P, X>, R>);
        continue;
      }
      const value = entry.payload;
      group.values.push(value);
      const payload: Prefetched<P, X> = {
        value,
        lookup: async () => {
          const answer = group.start();
          group.next?.deref()?.start();
          return (await answer).get(value);
        },
      };
      buffer.push({ ...entry, payload });
    }
    if (last) last.next = new WeakRef(group);
    last = group;
  };
  try {
    for (;;) {
      while (!done && buffer.length < groupSize * groupsAhead) await readGroup();
      const entry = buffer.shift();
      if (!entry) return;
      yield entry;
    }
  } finally {
    await it.return?.();
  }
}
