/**
 * Fault injection: latency with jitter, error statuses by probability, timeouts (the request is accepted and
 * never answered, half the time after it was applied), a per-client rate limit, and scripted faults that
 * hit the next matching requests exactly (for tests that need one 503 or one lost create, not a rate).
 * Every random choice comes from one seeded generator, four draws per request, so a given request sequence
 * always meets the same faults.
 */
import type { Rng } from "./rng.js";

export interface ScriptedFault {
  /** Answer with this status instead of handling (503 and 429 carry Retry-After). */
  readonly status?: number;
  /** Never answer: `before` = not applied, `after` = applied, then silence. */
  readonly timeout?: "before" | "after";
  /** Retry-After seconds for injected 429/503 (default 1). */
  readonly retryAfter?: number;
  /** Only requests whose path contains this text (default: any). */
  readonly path?: string;
  /** Only this method (default: any). */
  readonly method?: string;
  /** How many matching requests it hits (default 1). */
  readonly times?: number;
}

export interface FaultDecision {
  readonly delayMs: number;
  readonly status?: number;
  readonly retryAfter?: number;
  readonly timeout?: "before" | "after";
}

export interface FaultSettings {
  readonly latencyMs: number;
  readonly jitterMs: number;
  readonly errorRates: Readonly<Record<number, number>>;
  readonly timeoutRate: number;
  readonly rateLimit?: number;
}

export class Faults {
  private scripted: { fault: ScriptedFault; left: number }[] = [];
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly rates: [number, number][];

  constructor(
    readonly settings: FaultSettings,
    private readonly rng: Rng,
    private readonly now: () => number,
  ) {
    this.rates = Object.entries(settings.errorRates).map(([s, p]) => [Number(s), p]);
  }

  /** Queues faults for the next matching requests (control endpoint and embedded tests). */
  script(faults: readonly ScriptedFault[]): void {
    for (const fault of faults) this.scripted.push({ fault, left: fault.times ?? 1 });
  }

  clearScripted(): void {
    this.scripted = [];
  }

  pendingScripted(): number {
    return this.scripted.reduce((n, s) => n + s.left, 0);
  }

  decide(method: string, path: string): FaultDecision {
    const { latencyMs, jitterMs, timeoutRate } = this.settings;
    const [rError, rTimeout, rSide, rJitter] = [
      this.rng.next(),
      this.rng.next(),
      this.rng.next(),
      this.rng.next(),
    ];
    const delayMs = Math.max(0, latencyMs + (rJitter * 2 - 1) * jitterMs);
    const hit = this.takeScripted(method, path);
    if (hit) return { delayMs, status: hit.status, retryAfter: hit.retryAfter ?? 1, timeout: hit.timeout };
    let acc = 0;
    for (const [status, p] of this.rates) {
      acc += p;
      if (rError < acc) return { delayMs, status, retryAfter: 1 };
    }
    if (rTimeout < timeoutRate) return { delayMs, timeout: rSide < 0.5 ? "before" : "after" };
    return { delayMs };
  }

  private takeScripted(method: string, path: string): ScriptedFault | undefined {
    const i = this.scripted.findIndex(
      (s) => (!s.fault.path || path.includes(s.fault.path)) && (!s.fault.method || s.fault.method === method),
    );
    if (i < 0) return undefined;
    const s = this.scripted[i];
    if (--s.left <= 0) this.scripted.splice(i, 1);
    return s.fault;
  }

  /** Seconds to wait when `client` is over its rate, else 0 (and one request is counted). */
  rateLimited(client: string): number {
    const rate = this.settings.rateLimit;
    if (!rate) return 0;
    const now = this.now();
    const capacity = Math.max(1, rate);
    const b = this.buckets.get(client) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(client, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate));
  }
}
