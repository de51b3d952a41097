/**
 * Loaded into a `nightshift worker` by bench/cluster.ts (`node --import tsx --import <this file> bin/...`) to
 * see where a drain's time goes inside the worker, without touching the engine:
 * - every PostgreSQL round trip (pg's Client#query): count and wall time (send to answer) by statement;
 * - event-loop utilisation (busy against idle, waiting for answers or timers) and CPU time;
 * - optionally a CPU profile (inspector), when NIGHTSHIFT_BENCH_PROFILE names the file to write.
 * SIGUSR2 starts a measurement (resets the counters, starts the profiler); the next SIGUSR2 ends it and writes
 * the JSON to the file NIGHTSHIFT_BENCH_TRACE names (then the profile, if asked for).
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createRequire } from "node:module";
import { type EventLoopUtilization, performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const out = process.env.NIGHTSHIFT_BENCH_TRACE;
const profileFile = process.env.NIGHTSHIFT_BENCH_PROFILE;

interface Stat {
  calls: number;
  ms: number;
}

if (out) {
  // The pg the worker's own tree loads (the bench may start workers of another checkout).
  const pg = createRequire(pathToFileURL(process.argv[1]).href)("pg") as {
    Client: { prototype: { query: (...args: unknown[]) => unknown } };
  };
  let stats = new Map<string, Stat>();
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function traced(this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string } | undefined;
    const text = typeof first === "string" ? first : (first?.text ?? "");
    const key = text.replace(/\s+/g, " ").trim().slice(0, 400);
    const start = performance.now();
    const result = original.apply(this, args);
    const done = () => {
      const s = stats.get(key) ?? { calls: 0, ms: 0 };
      s.calls++;
      s.ms += performance.now() - start;
      stats.set(key, s);
    };
    if (result && typeof (result as Promise<unknown>).then === "function")
      (result as Promise<unknown>).then(done, done);
    return result;
  };
  let measuring:
    | { elu: EventLoopUtilization; cpu: NodeJS.CpuUsage; at: number; session?: Session }
    | undefined;
  process.on("SIGUSR2", () => {
    void (async () => {
      if (!measuring) {
        stats = new Map();
        let session: Session | undefined;
        if (profileFile) {
          session = new Session();
          session.connect();
          await session.post("Profiler.enable");
          await session.post("Profiler.setSamplingInterval", { interval: 1000 });
          await session.post("Profiler.start");
        }
        measuring = {
          elu: performance.eventLoopUtilization(),
          cpu: process.cpuUsage(),
          at: performance.now(),
          session,
        };
        return;
      }
      const m = measuring;
      measuring = undefined;
      const elu = performance.eventLoopUtilization(m.elu);
      const cpu = process.cpuUsage(m.cpu);
      const trace = {
        wallMs: performance.now() - m.at,
        eventLoop: { activeMs: elu.active, idleMs: elu.idle, utilization: elu.utilization },
        cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000 },
        statements: Object.fromEntries(stats),
      };
      if (m.session) {
        const { profile } = await m.session.post("Profiler.stop");
        m.session.disconnect();
        if (profileFile) writeFileSync(profileFile, JSON.stringify(profile));
      }
      writeFileSync(out, JSON.stringify(trace));
    })();
  });
}
