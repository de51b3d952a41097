/**
 * The WorldCat client for one service account: Metadata API 2.0 (`bibs`, `holdings`, `lbds`, `lhrs`,
 * `search`) and the retired Metadata API 1.0 (`first.bibs`, `first.holdings`, `first.lbds`; OCLC retired it
 * on 30 April 2024: kept as it is, never the default), records as src/marc records.
 *
 * ```ts
 * const wc = createWorldCatClient(await resolveAccount(config.accounts, "weeding-2026"));
 * const record = await wc.bibs.read("ocm00012345");
 * await wc.holdings.unset(12345, { cascadeDelete: false });
 * wc.close();
 * ```
 */
import type { ServiceAccount } from "./accounts.js";
import { accountLabel } from "./accounts.js";
import { type BibsApi, bibsApi } from "./api/bibs.js";
import type { ApiContext } from "./api/context.js";
import { type HoldingsApi, holdingsApi } from "./api/holdings.js";
import { type LbdsApi, lbdsApi } from "./api/lbds.js";
import { type LhrsApi, lhrsApi } from "./api/lhrs.js";
import { type SearchApi, searchApi } from "./api/search.js";
import { bearerAuthorizer, hmacAuthorizer } from "./auth/authorizers.js";
import { type AccessToken, createTokenManager } from "./auth/tokens.js";
import { type FirstBibApi, firstBibApi } from "./first/bib.js";
import { type FirstHoldingsApi, firstHoldingsApi } from "./first/holdings.js";
import { type FirstLbdApi, firstLbdApi } from "./first/lbd.js";
import { type Clock, type Sleep, systemClock } from "./transport/clock.js";
import { createConnectionPool, type Timeouts } from "./transport/http.js";
import { createRateLimiter, type RateLimiter, unlimited } from "./transport/rate-limit.js";
import type { RetryPolicy } from "./transport/retry.js";
import { createTransport } from "./transport/transport.js";

export interface WorldCatClientOptions {
  readonly timeouts?: Partial<Timeouts>;
  readonly retry?: Partial<RetryPolicy>;
  /** Overrides the account's shared limiter (e.g. one limiter for several accounts of one key). */
  readonly rateLimiter?: RateLimiter;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** One redacted line per retry, refresh and failure. */
  readonly log?: (line: string) => void;
  /** Refresh tokens this long before they expire (default 60 s). */
  readonly tokenMarginMs?: number;
  /** First API defaults. */
  readonly holdingLibraryCode?: string;
  readonly classificationScheme?: string;
}

export interface WorldCatClient {
  readonly account: ServiceAccount;
  /** `name` or `name [SANDBOX]`. */
  readonly label: string;
  readonly bibs: BibsApi;
  readonly holdings: HoldingsApi;
  readonly lbds: LbdsApi;
  /** Local holdings records (MARC 21 holdings) and the institution's holdings as JSON. */
  readonly lhrs: LhrsApi;
  readonly search: SearchApi;
  /** The retired Metadata API 1.0 (/bib/data, /ih/data, /bib/holdinglibraries, /lbd/data); never the default. */
  readonly first: {
    readonly bibs: FirstBibApi;
    readonly holdings: FirstHoldingsApi;
    readonly lbds: FirstLbdApi;
  };
  /** A valid access token (cached; for `worldcat check` and diagnostics). */
  token(signal?: AbortSignal): Promise<AccessToken>;
  /** Closes pooled connections. */
  close(): void;
}

// One bucket per account (name + key), shared by every client of that account in this process.
const limiters = new Map<string, RateLimiter>();

function limiterFor(account: ServiceAccount, clock: Clock, sleep?: Sleep): RateLimiter {
  if (!account.rateLimit) return unlimited;
  const id = `${account.name}\u0000${account.key}\u0000${account.rateLimit.perSecond}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = createRateLimiter({ ...account.rateLimit, clock, sleep });
    limiters.set(id, limiter);
  }
  return limiter;
}

export function createWorldCatClient(
  account: ServiceAccount,
  options: WorldCatClientOptions = {},
): WorldCatClient {
  const clock = options.clock ?? systemClock;
  const pool = createConnectionPool(account.concurrency);
  const common = {
    pool,
    // the account's own timeouts, then what the caller insists on
    timeouts: { ...definedOnly(account.timeouts), ...options.timeouts },
    retry: options.retry,
    clock,
    sleep: options.sleep,
    random: options.random,
    log: options.log,
    rateLimiter: options.rateLimiter ?? limiterFor(account, clock, options.sleep),
  };
  const transport = createTransport({ ...common, concurrency: account.concurrency });
  // Token requests skip the concurrency gate so waiting API calls can never starve their own refresh.
  const tokenTransport = createTransport(common);
  const tokens = createTokenManager({
    account,
    transport: tokenTransport,
    clock,
    marginMs: options.tokenMarginMs,
  });
  const bearer = bearerAuthorizer(tokens);
  const ctx: ApiContext = {
    account,
    transport,
    metadataAuth: bearer,
    firstAuth: account.auth === "hmac" ? hmacAuthorizer(account, clock) : bearer,
    holdingLibraryCode: options.holdingLibraryCode,
    classificationScheme: options.classificationScheme ?? "LibraryOfCongress",
  };
  return {
    account,
    label: accountLabel(account),
    bibs: bibsApi(ctx),
    holdings: holdingsApi(ctx),
    lbds: lbdsApi(ctx),
    lhrs: lhrsApi(ctx),
    search: searchApi(ctx),
    first: { bibs: firstBibApi(ctx), holdings: firstHoldingsApi(ctx), lbds: firstLbdApi(ctx) },
    token: (signal) => tokens.getToken(signal),
    close: () => pool.close(),
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
