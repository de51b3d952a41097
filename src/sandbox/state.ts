/**
 * Everything a sandbox remembers, in memory and open to tests: bibs, holdings, local bib data, tokens,
 * nonces seen, how often each record was created, and request counters.
 */
import type { MarcRecord } from "../marc/record.js";
import { BibStore, type BibStoreInit } from "./domain/bib-store.js";
import { createStamper, type Stamper } from "./domain/stamp.js";

export interface TokenInfo {
  readonly token: string;
  readonly accountKey: string;
  readonly scopes: readonly string[];
  readonly registryId: string;
  readonly expiresAt: number;
  readonly principalID: string;
  readonly principalIDNS: string;
}

export interface LocalBib {
  readonly id: number;
  readonly symbol: string;
  /** The master record's number (004). */
  readonly ocn: number;
  /** The unique local id (935 $a). */
  readonly localId: string;
  readonly record: MarcRecord;
}

/** A local holdings record (LHR): a MARC 21 holdings record on a record the institution holds. */
export interface LocalHoldings {
  readonly id: number;
  readonly symbol: string;
  /** The bibliographic record's number (004). */
  readonly ocn: number;
  readonly record: MarcRecord;
  /** When it was first created (ms), for `lhrDateEntered`. */
  readonly createdAt: number;
}

/** A holdings move accepted and not yet carried out (the live service does it asynchronously). */
export interface PendingMove {
  readonly symbol: string;
  readonly from: number;
  readonly to: number;
  readonly due: number;
}

export interface Creation {
  readonly ocn: number;
  readonly fingerprint: string;
  readonly at: number;
}

export interface Counters {
  requests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  injectedErrors: Record<string, number>;
  timeoutsBefore: number;
  timeoutsAfter: number;
  rateLimited: number;
}

export const LBD_BASE = 3_000_000_000;
export const LHR_BASE = 400_000_000;

export class SandboxState {
  readonly bibs: BibStore;
  readonly stamper: Stamper;
  /** symbol -> ocn -> held; numbers not listed follow the seeded rule (see `isHeld`). */
  readonly holdings = new Map<string, Map<number, boolean>>();
  readonly lbds = new Map<number, LocalBib>();
  readonly lhrs = new Map<number, LocalHoldings>();
  readonly pendingMoves: PendingMove[] = [];
  readonly tokens = new Map<string, TokenInfo>();
  /** "key timestamp nonce" -> time seen (ms); pruned once outside the allowed clock skew. */
  readonly nonces = new Map<string, number>();
  /** Every create, in order: tests count duplicates by fingerprint (title, ISBN, local ids). */
  readonly creations: Creation[] = [];
  /**
   * How many holdings set/unset requests reached the service, by `<symbol> set|unset <ocn as asked>` (changed
   * or not): crash tests check that a resumed batch sent nothing twice.
   */
  readonly holdingRequests = new Map<string, number>();
  readonly counters: Counters = {
    requests: 0,
    byRoute: {},
    byStatus: {},
    injectedErrors: {},
    timeoutsBefore: 0,
    timeoutsAfter: 0,
    rateLimited: 0,
  };
  private nextLbd = LBD_BASE;
  private nextLhr = LHR_BASE;

  constructor(
    init: BibStoreInit,
    readonly now: () => number,
  ) {
    this.bibs = new BibStore(init);
    this.stamper = createStamper(now);
  }

  /**
   * Seeded rule: at start every institution holds every even-numbered seed record (corpus or synthetic);
   * records created in the sandbox start unheld. Set and unset override it.
   */
  isHeld(symbol: string, ocn: number): boolean {
    const set = this.holdings.get(symbol)?.get(ocn);
    if (set !== undefined) return set;
    return ocn % 2 === 0 && this.bibs.isSeed(ocn);
  }

  setHeld(symbol: string, ocn: number, held: boolean): void {
    const m = this.holdings.get(symbol) ?? new Map<number, boolean>();
    this.holdings.set(symbol, m);
    m.set(ocn, held);
  }

  allocateLbd(): number {
    this.nextLbd += 1;
    return this.nextLbd;
  }

  allocateLhr(): number {
    this.nextLhr += 1;
    return this.nextLhr;
  }

  /** How many times a record with this fingerprint was created. */
  timesCreated(fingerprint: string): number {
    let n = 0;
    for (const c of this.creations) if (c.fingerprint === fingerprint) n++;
    return n;
  }

  /** A JSON-friendly summary (GET /_sandbox/state). */
  snapshot(): Record<string, unknown> {
    const createCounts: Record<string, number> = {};
    for (const c of this.creations) createCounts[c.fingerprint] = (createCounts[c.fingerprint] ?? 0) + 1;
    const holdings: Record<string, { set: number[]; unset: number[] }> = {};
    for (const [symbol, m] of this.holdings) {
      const set: number[] = [];
      const unset: number[] = [];
      for (const [ocn, held] of m) (held ? set : unset).push(ocn);
      holdings[symbol] = { set, unset };
    }
    return {
      now: new Date(this.now()).toISOString(),
      bibs: {
        stored: this.bibs.records.size,
        synthetic: this.bibs.syntheticCount,
        merged: this.bibs.merged.size,
      },
      merged: Object.fromEntries(this.bibs.merged),
      creations: this.creations,
      createCounts,
      holdings,
      lbds: [...this.lbds.values()].map(({ id, symbol, ocn, localId }) => ({ id, symbol, ocn, localId })),
      lhrs: [...this.lhrs.values()].map(({ id, symbol, ocn }) => ({ id, symbol, ocn })),
      pendingMoves: this.pendingMoves,
      tokensIssued: this.tokens.size,
      counters: this.counters,
    };
  }
}
