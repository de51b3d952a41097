/**
 * The sandbox server: plain node:http, one origin for the token servers, Metadata API 2.0, the first API
 * and (when enabled) the test controls. Fault injection wraps every API request.
 */
import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { demoAccounts, type SandboxAccount } from "./accounts.js";
import { settleMoves } from "./domain/move.js";
import type { SandboxEnv } from "./env.js";
import { Faults, type ScriptedFault } from "./faults.js";
import { sandboxGuide } from "./guide.js";
import { createContext, drain, type RequestContext } from "./http/context.js";
import { dispatch, errorReply, statusError, styleForPath } from "./http/dispatch.js";
import type { Reply } from "./http/reply.js";
import { Router } from "./http/router.js";
import type { SandboxOptions } from "./options.js";
import { createRng } from "./rng.js";
import { allRoutes } from "./routes/index.js";
import { loadCorpus, loadSeedFiles } from "./seed/corpus.js";
import { SandboxState } from "./state.js";

export interface Sandbox {
  /** Origin, e.g. `http://127.0.0.1:41234` (point a service account's base URLs here). */
  readonly url: string;
  readonly port: number;
  readonly accounts: readonly SandboxAccount[];
  /** The live in-memory state (a new object after a reset). */
  readonly state: SandboxState;
  /** What the sandbox holds, in words (numbers, merges, holdings, holding codes): see guide.ts. */
  guide(): string[];
  /** Queues faults for the next matching requests. */
  injectFaults(faults: readonly ScriptedFault[]): void;
  /** Moves the sandbox clock (token expiry, 005 stamps, HMAC timestamps) forward. */
  advanceClock(seconds: number): void;
  reset(): void;
  close(): Promise<void>;
}

/** Starts a sandbox; resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.rngSeed ?? randomInt(2 ** 31);
  const accounts = options.accounts ?? demoAccounts(createRng(seed + 1));
  const baseNow = options.now ?? Date.now;
  const now = () => baseNow() + env.clockOffsetMs;
  const init = {
    corpus: [
      ...(options.corpus === false ? [] : await loadCorpus()),
      ...(options.seedFiles?.length ? await loadSeedFiles(options.seedFiles) : []),
    ],
    syntheticCount: options.seed ?? 0,
  };
  const env: SandboxEnv = {
    state: new SandboxState(init, () => now()),
    accounts: new Map(accounts.map((a) => [a.key, a])),
    faults: new Faults(
      {
        latencyMs: options.latencyMs ?? 0,
        jitterMs: options.jitterMs ?? 0,
        errorRates: options.errorRates ?? {},
        timeoutRate: options.timeoutRate ?? 0,
        rateLimit: options.rateLimit,
      },
      createRng(seed),
      () => now(),
    ),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 1199,
    maxSkewSeconds: options.maxClockSkewSeconds ?? 300,
    moveDelayMs: options.moveDelayMs ?? 1000,
    clockOffsetMs: 0,
    oaiRetryAfter: options.oaiRetryAfter,
    reset() {
      env.state = new SandboxState(init, () => now());
      env.faults.clearScripted();
    },
  };
  const router = new Router(allRoutes);
  const held = new Set<ServerResponse>();
  const holdMs = options.timeoutHoldMs ?? 60_000;

  const hold = (res: ServerResponse) => {
    held.add(res);
    const timer = setTimeout(() => {
      held.delete(res);
      res.destroy();
    }, holdMs);
    timer.unref();
    res.on("close", () => {
      clearTimeout(timer);
      held.delete(res);
    });
  };

  const send = (res: ServerResponse, reply: Reply) => {
    const c = env.state.counters.byStatus;
    c[reply.status] = (c[reply.status] ?? 0) + 1;
    res.writeHead(reply.status, { ...reply.headers, "content-length": Buffer.byteLength(reply.body) });
    res.end(reply.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const ctx = createContext(req);
    const { state } = env;
    state.counters.requests++;
    if (ctx.path.startsWith("/_sandbox")) {
      if (options.enableControl) return send(res, await dispatch(router, env, ctx));
      await drain(ctx);
      return send(
        res,
        errorReply(
          "v2",
          statusError(404, "Sandbox controls are off (start with --enable-control, or enableControl: true)"),
        ),
      );
    }
    const wait = env.faults.rateLimited(clientOf(env, ctx));
    if (wait > 0) {
      state.counters.rateLimited++;
      await drain(ctx);
      const err = statusError(429, "Too many requests; slow down", { "retry-after": String(wait) });
      return send(res, errorReply(styleForPath(ctx.path), err));
    }
    const fault = env.faults.decide(ctx.method, ctx.path);
    if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault.status !== undefined) {
      state.counters.injectedErrors[fault.status] = (state.counters.injectedErrors[fault.status] ?? 0) + 1;
      await drain(ctx);
      const headers: Record<string, string> =
        fault.status === 503 || fault.status === 429 ? { "retry-after": String(fault.retryAfter ?? 1) } : {};
      return send(res, errorReply(styleForPath(ctx.path), statusError(fault.status, undefined, headers)));
    }
    if (fault.timeout === "before") {
      state.counters.timeoutsBefore++;
      await drain(ctx);
      return hold(res);
    }
    settleMoves(state);
    const reply = await dispatch(router, env, ctx);
    if (fault.timeout === "after") {
      state.counters.timeoutsAfter++;
      return hold(res);
    }
    send(res, reply);
  };

  const server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      process.stderr.write(`sandbox: ${(err as Error)?.stack ?? err}\n`);
      if (!res.headersSent) send(res, errorReply("v2", statusError(500)));
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    accounts,
    get state() {
      return env.state;
    },
    guide: () => sandboxGuide(env.state, accounts),
    injectFaults: (faults) => env.faults.script(faults),
    advanceClock: (seconds) => {
      env.clockOffsetMs += seconds * 1000;
    },
    reset: () => env.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Whose rate bucket a request counts against: the account behind the credentials, else "anonymous". */
function clientOf(env: SandboxEnv, ctx: RequestContext): string {
  const auth = ctx.headers.authorization ?? "";
  if (/^bearer /i.test(auth)) return env.state.tokens.get(auth.slice(7).trim())?.accountKey ?? "anonymous";
  const hmac = /client[Ii][Dd]\s*=\s*"?([^",\s]+)/.exec(auth);
  if (hmac) return hmac[1];
  if (/^basic /i.test(auth))
    return Buffer.from(auth.slice(6).trim(), "base64").toString("utf8").split(":")[0];
  return "anonymous";
}

/**
 * The guide of a sandbox started with `options`, without starting it (`nightshift sandbox --help`): the same
 * seed data, the demo accounts' holding codes unless accounts are given.
 */
export async function guideFor(options: SandboxOptions = {}): Promise<string[]> {
  const corpus = [
    ...(options.corpus === false ? [] : await loadCorpus()),
    ...(options.seedFiles?.length ? await loadSeedFiles(options.seedFiles) : []),
  ];
  const state = new SandboxState({ corpus, syntheticCount: options.seed ?? 0 }, Date.now);
  return sandboxGuide(state, options.accounts ?? demoAccounts(createRng(1)));
}
