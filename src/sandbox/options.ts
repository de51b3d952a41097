/** What a sandbox can be told at start: port, data, faults, accounts, clock. */
import type { SandboxAccount } from "./accounts.js";

export interface SandboxOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Number of synthetic master records 100000001..100000000+seed (made on demand; 1,000,000 is fine). */
  readonly seed?: number;
  /** Load the MARC corpus records shipped in src/sandbox/seed/ (default true). */
  readonly corpus?: boolean;
  /** MARC files (any format) or directories of them whose records become master records too. */
  readonly seedFiles?: readonly string[];
  /** Accounts; default: demo accounts generated from `rngSeed`. */
  readonly accounts?: readonly SandboxAccount[];
  /** Added delay per request in ms, plus or minus up to `jitterMs` (uniform). */
  readonly latencyMs?: number;
  readonly jitterMs?: number;
  /** Injected error responses by status, e.g. `{ 503: 0.02, 500: 0.01 }` (probability per request). */
  readonly errorRates?: Readonly<Record<number, number>>;
  /** Probability that a request is accepted but never answered (half the time after applying it). */
  readonly timeoutRate?: number;
  /** How long a "timed out" request is held before its connection is dropped (default 60 s). */
  readonly timeoutHoldMs?: number;
  /** Requests per second per client key (token bucket, burst = one second's worth); unset = unlimited. */
  readonly rateLimit?: number;
  /** Seed of the random generator behind faults and demo accounts (default 1). */
  readonly rngSeed?: number;
  /** Enables GET /_sandbox/state, POST /_sandbox/reset, /_sandbox/faults, /_sandbox/clock. */
  readonly enableControl?: boolean;
  /** The sandbox's idea of now, in ms since the epoch (default Date.now); tests inject one to expire tokens. */
  readonly now?: () => number;
  /** Lifetime of access tokens in seconds (default 1199, as OCLC's token server). */
  readonly tokenTtlSeconds?: number;
  /** How long after a holdings move request the move is carried out, in sandbox ms (default 1000). */
  readonly moveDelayMs?: number;
  /** How far an HMAC timestamp may be from server time, in seconds (default 300). */
  readonly maxClockSkewSeconds?: number;
  /** The demo OAI-PMH provider answers the first resumed page of each harvest 503 with this Retry-After (s). */
  readonly oaiRetryAfter?: number;
}

export class SandboxOptionError extends Error {}

/** "100ms", "2s", "1.5s", "250" (ms) -> milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  if (!m) throw new SandboxOptionError(`not a duration: ${JSON.stringify(text)} (use e.g. 100ms or 2s)`);
  const n = Number(m[1]);
  return m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n;
}

/** "20/s", "600/m", "20" -> requests per second. */
export function parseRate(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|m|min))?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0)
    throw new SandboxOptionError(`not a rate: ${JSON.stringify(text)} (use e.g. 20/s)`);
  return m[2]?.startsWith("m") ? Number(m[1]) / 60 : Number(m[1]);
}

/** "503=0.02,500=0.01" -> { 503: 0.02, 500: 0.01 }. */
export function parseErrorRates(text: string): Record<number, number> {
  const out: Record<number, number> = {};
  for (const part of text.split(",").filter((p) => p.trim() !== "")) {
    const m = /^\s*([1-5]\d\d)\s*=\s*(\d*\.?\d+)\s*$/.exec(part);
    if (!m || Number(m[2]) > 1)
      throw new SandboxOptionError(
        `bad error rate ${JSON.stringify(part)} (use STATUS=PROBABILITY, e.g. 503=0.02)`,
      );
    out[Number(m[1])] = Number(m[2]);
  }
  return out;
}

/** A probability in [0, 1]. */
export function parseProbability(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new SandboxOptionError(`not a probability between 0 and 1: ${JSON.stringify(text)}`);
  return n;
}
