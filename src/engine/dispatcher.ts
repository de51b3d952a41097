import { coerceError } from "../errors.js";
import type { NotifyListener } from "../store/postgres/notify.js";
import { findCancelRequests } from "../store/queries/find-cancel-requests.js";
import { CHANNELS, notify } from "../store/queries/notify.js";
import { isoTime, type Store } from "../store/store.js";
import { claimDue } from "./claim.js";
import type { Clock } from "./clock.js";
import { type DiskGuard, describeDisk } from "./disk.js";
import type { EngineEmitter } from "./events.js";
import type { FileStore } from "./file-store.js";
import { heartbeat, registerWorker, unregisterWorker } from "./lease.js";
import { toProcessRecord } from "./process-record.js";
import { recoverLostProcesses } from "./recovery.js";
import type { ScriptRegistry } from "./registry.js";
import { type RunnerDeps, type RunningProcess, startProcess } from "./runner.js";
import type { SecretVault } from "./vault.js";

/** What a dispatcher runs on (one per OS process; the engine provides it). */
export interface DispatcherDeps {
  readonly store: Store;
  readonly events: EngineEmitter;
  readonly scripts: ScriptRegistry;
  readonly vault: SecretVault;
  readonly dataDir: string;
  readonly files: FileStore;
  readonly workerId: string;
  readonly clock: Clock;
  readonly services?: RunnerDeps["services"];
  readonly onFinish?: RunnerDeps["onFinish"];
  /** The disk reserve: below it running processes end FAILED "disk full" (the process cleaner goes on). */
  readonly disk?: DiskGuard;
  /** PostgreSQL: the node's LISTEN connection; new processes and cancel requests wake the dispatcher. */
  readonly notifications?: NotifyListener;
}

export interface DispatcherOptions {
  /** Processes run at once by this worker (default 4). */
  readonly concurrency: number;
  /** Lease renewal interval (default 30 s). */
  readonly heartbeatMs: number;
  /** How long a claim stays valid without a heartbeat (default 2 x heartbeat). */
  readonly leaseMs: number;
  /**
   * How often to look for due processes and for cancel requests from other OS processes. On PostgreSQL those
   * arrive as notifications besides (LISTEN/NOTIFY), and this poll is the fallback for a missed one.
   */
  readonly pollMs: number;
  /** How long an aborted script may take to stop (cancel, timeout). */
  readonly abortGraceMs: number;
  /** How long running scripts get to checkpoint and stop on shutdown. */
  readonly shutdownGraceMs: number;
  readonly progressFlushMs: number;
  /** Claim only these processes (a foreground `nightshift run`). */
  readonly onlyIds?: readonly number[];
  /** Claim only processes of these scripts (`nightshift worker --scripts a,b`); default: every script. */
  readonly scripts?: readonly string[];
}

export interface Dispatcher {
  readonly workerId: string;
  /** Registers the worker, recovers lost processes, and starts claiming. */
  start(): Promise<void>;
  /** Graceful stop: no new claims; running processes are aborted ("shutdown") and re-queued. */
  stop(graceMs?: number): Promise<void>;
  /** Looks for work now (new process, freed slot). */
  wake(): void;
  /** Ids of the processes running here. */
  running(): number[];
  /** True between start() and stop(): claiming work (what /readyz reports). */
  accepting(): boolean;
}

/** Derives the defaults from the heartbeat: poll four times per heartbeat, at least every second. */
export function dispatcherDefaults(partial: Partial<DispatcherOptions> = {}): DispatcherOptions {
  const heartbeatMs = partial.heartbeatMs ?? 30_000;
  return {
    concurrency: 4,
    leaseMs: heartbeatMs * 2,
    pollMs: Math.max(10, Math.min(1000, Math.floor(heartbeatMs / 4))),
    abortGraceMs: 10_000,
    shutdownGraceMs: 10_000,
    progressFlushMs: 250,
    ...partial,
    heartbeatMs,
  };
}

export function createDispatcher(deps: DispatcherDeps, options: DispatcherOptions): Dispatcher {
  const running = new Map<number, RunningProcess>();
  const runnerDeps = {
    ...deps,
    abortGraceMs: options.abortGraceMs,
    progressFlushMs: options.progressFlushMs,
  };
  let state: "new" | "started" | "stopping" | "stopped" = "new";
  let ticking: Promise<void> | undefined;
  let again = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let diskTimer: NodeJS.Timeout | undefined;
  let startedAt = "";
  let stopping: Promise<void> | undefined;
  const unsubscribe: (() => void)[] = [];

  const report = (err: unknown, context: string) =>
    deps.events.emit("engine:error", { error: coerceError(err), context });
  const notes = deps.notifications;
  // With notifications, a cancel request for a process here arrives as one: the database is asked only by the
  // fallback poll (every pollMs, however busy the dispatcher) or when a notification may have been missed.
  // Without them, every round asks.
  let cancelsAsked = true;
  let cancelsCheckedAt = Number.NEGATIVE_INFINITY;

  function wake() {
    if (state !== "started") return;
    if (ticking) again = true;
    else ticking = tick();
  }

  async function tick() {
    clearTimeout(pollTimer);
    try {
      do {
        again = false;
        await abortCancelled();
        const free = options.concurrency - running.size;
        if (free > 0 && state === "started") {
          for (const row of await claimDue(deps, free, options.leaseMs, options.onlyIds, options.scripts))
            launch(row);
        }
      } while (again && state === "started");
    } catch (err) {
      report(err, "claim");
    } finally {
      ticking = undefined;
      if (state === "started") pollTimer = setTimeout(wake, options.pollMs);
    }
  }

  function launch(row: Parameters<typeof startProcess>[0]) {
    const rp = startProcess(row, runnerDeps);
    running.set(row.id, rp);
    deps.events.emit("process:started", { process: toProcessRecord(row) });
    guardDisk([rp]);
    void rp.done.then(() => {
      running.delete(row.id);
      wake();
      // A limited script's slot is free: a worker elsewhere may be waiting for it.
      if (deps.scripts.get(row.script)?.maxConcurrent !== undefined)
        notify(deps.store.db, CHANNELS.process).catch((err: unknown) => report(err, "notify"));
    });
  }

  /** Cancel requests made by other OS processes arrive through the database. */
  async function abortCancelled() {
    if (running.size === 0) return;
    const at = performance.now();
    if (notes && !cancelsAsked && at - cancelsCheckedAt < options.pollMs) return;
    cancelsAsked = false;
    cancelsCheckedAt = at;
    for (const id of await findCancelRequests(deps.store.db, deps.workerId)) {
      running.get(id)?.abort("cancel", "cancelled while running");
    }
  }

  /** Below the disk reserve, stop what would write on: it ends FAILED "disk full", not with half a report. */
  function guardDisk(processes: Iterable<RunningProcess>) {
    const disk = deps.disk;
    if (!disk) return;
    const state = disk.check();
    if (state.ok) return;
    for (const rp of processes) {
      if (deps.scripts.get(rp.script)?.freesDiskSpace) continue;
      rp.abort("disk-full", `disk full: ${describeDisk(state, deps.dataDir)}`);
    }
  }

  async function beat() {
    try {
      // Only processes launched before the heartbeat can be judged by it: one claimed while its answer was on
      // the way (committed after its UPDATE read the rows) is ours but missing from `renewed`.
      const before = [...running];
      const renewed = new Set(await heartbeat(deps, options.leaseMs, startedAt));
      deps.events.emit("process:heartbeat", { workerId: deps.workerId, processIds: [...renewed] });
      for (const [id, rp] of before) {
        if (!renewed.has(id)) rp.abort("lease-lost", `worker ${deps.workerId} lost its lease`);
      }
      await recoverLostProcesses(deps, options.leaseMs);
    } catch (err) {
      report(err, "heartbeat");
    }
  }

  return {
    workerId: deps.workerId,
    async start() {
      if (state !== "new") return;
      startedAt = isoTime(deps.clock.now());
      await registerWorker(deps, startedAt);
      await recoverLostProcesses(deps, options.leaseMs);
      state = "started";
      unsubscribe.push(
        deps.events.on("process:created", () => wake()),
        deps.events.on("process:cancel-requested", ({ processId }) =>
          running.get(processId)?.abort("cancel", "cancelled while running"),
        ),
      );
      if (notes) {
        // Other nodes' new processes and cancel requests (PostgreSQL); the poll stays as the fallback. An
        // `undefined` payload is "notifications may have been missed" (a reconnect): look at once.
        unsubscribe.push(
          // A full dispatcher looks again when one of its own processes ends: no query per notification.
          notes.subscribe(CHANNELS.process, () => {
            if (running.size < options.concurrency) wake();
          }),
          // Whatever process it names: one claimed right now may not be in `running` yet. Cancels are rare.
          notes.subscribe(CHANNELS.cancel, () => {
            cancelsAsked = true;
            wake();
          }),
        );
        await notes.ready();
      }
      heartbeatTimer = setInterval(() => void beat(), options.heartbeatMs);
      // statfs is cheap: once a second keeps a filling disk from being filled to the last byte.
      if (deps.disk) diskTimer = setInterval(() => running.size && guardDisk(running.values()), 1000);
      wake();
      await ticking;
    },
    stop(graceMs = options.shutdownGraceMs) {
      // A second call (engine.close() after a signal's stop) waits for the first: the store must outlive it.
      if (!stopping && state === "started") stopping = stop(graceMs);
      return stopping ?? Promise.resolve();
    },
    wake,
    running: () => [...running.keys()],
    accepting: () => state === "started",
  };

  async function stop(graceMs: number) {
    if (state !== "started") return;
    state = "stopping";
    clearTimeout(pollTimer);
    for (const off of unsubscribe.splice(0)) off();
    await ticking;
    for (const rp of running.values()) rp.abort("shutdown", "worker shutting down", graceMs);
    // Heartbeats go on while scripts checkpoint, so their leases do not expire meanwhile.
    await Promise.all([...running.values()].map((rp) => rp.done));
    clearInterval(heartbeatTimer);
    clearInterval(diskTimer);
    await unregisterWorker(deps).catch((err: unknown) => report(err, "unregister"));
    state = "stopped";
  }
}
