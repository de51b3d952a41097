/**
 * WorldCat's master records as the sandbox keeps them: corpus records and created/replaced ones in a Map,
 * synthetic ones made on demand, and merged numbers that point at the current record.
 */
import type { MarcRecord } from "../../marc/record.js";
import type { CorpusBib } from "../seed/corpus.js";
import { syntheticIndex, syntheticMergedInto, syntheticRecord } from "../seed/synthetic.js";

/** New records get numbers above this (WorldCat's numbers today are in this range). */
export const CREATED_BASE = 1_500_000_000;

export interface BibStoreInit {
  /** Corpus records to start with (none: an empty WorldCat but for synthetic records). */
  readonly corpus: readonly CorpusBib[];
  readonly syntheticCount: number;
}

export class BibStore {
  /** Corpus, created and replaced records by number. */
  readonly records = new Map<number, MarcRecord>();
  /** Merged (old) number -> the number it was merged into. */
  readonly merged = new Map<number, number>();
  /** Numbers present at start (corpus and synthetic): the ones with seeded holdings. */
  readonly seedNumbers = new Set<number>();
  readonly syntheticCount: number;
  private nextNumber = CREATED_BASE;

  constructor(init: BibStoreInit) {
    this.syntheticCount = init.syntheticCount;
    for (const bib of init.corpus) {
      this.records.set(bib.ocn, bib.record);
      this.seedNumbers.add(bib.ocn);
    }
    for (const bib of init.corpus)
      for (const old of bib.merged)
        if (!this.records.has(old) && !this.merged.has(old)) this.merged.set(old, bib.ocn);
  }

  /** The current number for `ocn` (following merges), or undefined when WorldCat has no such record. */
  current(ocn: number): number | undefined {
    if (this.records.has(ocn)) return ocn;
    const to = this.merged.get(ocn);
    if (to !== undefined) return this.current(to);
    const k = syntheticIndex(ocn, this.syntheticCount);
    if (k === undefined) return undefined;
    return syntheticMergedInto(k) ?? ocn;
  }

  /** Was this number there from the start (corpus or synthetic)? Seeded holdings apply only to those. */
  isSeed(ocn: number): boolean {
    return this.seedNumbers.has(ocn) || syntheticIndex(ocn, this.syntheticCount) !== undefined;
  }

  /** The current record for `ocn` (a merged number gives the record it was merged into). */
  get(ocn: number): { ocn: number; record: MarcRecord } | undefined {
    const cur = this.current(ocn);
    if (cur === undefined) return undefined;
    const stored = this.records.get(cur);
    if (stored) return { ocn: cur, record: stored };
    const k = syntheticIndex(cur, this.syntheticCount);
    return k === undefined ? undefined : { ocn: cur, record: syntheticRecord(k) };
  }

  /** Every merged number pointing (directly) at `ocn`, for brief records' mergedOclcNumbers. */
  mergedInto(ocn: number): number[] {
    const out: number[] = [];
    for (const [from, to] of this.merged) if (to === ocn) out.push(from);
    const k = syntheticIndex(ocn + 1, this.syntheticCount);
    if (k !== undefined && syntheticMergedInto(k) === ocn) out.push(ocn + 1);
    return out;
  }

  allocate(): number {
    this.nextNumber += 1;
    return this.nextNumber;
  }

  put(ocn: number, record: MarcRecord): void {
    this.records.set(ocn, record);
  }
}
