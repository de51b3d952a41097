import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { NightshiftConfig } from "../config/config.js";
import { parseNotifyConfig } from "../notify/config.js";
import { outboxWriter } from "../notify/outbox.js";
import { openStore } from "../store/index.js";
import { createNotifyListener, type NotifyListener } from "../store/postgres/notify.js";
import { createWakeListener } from "../store/sqlite/wake.js";
import type { Store } from "../store/store.js";
import { type Clock, systemClock } from "./clock.js";
import { makeDataDirPrivate } from "./data-dir.js";
import { type DiskGuard, diskGuard } from "./disk.js";
import {
  createDispatcher,
  type Dispatcher,
  type DispatcherOptions,
  dispatcherDefaults,
} from "./dispatcher.js";
import { createEmitter, type EngineEmitter } from "./events.js";
import type { FileStore } from "./file-store.js";
import { directoryFileStore } from "./file-store-directory.js";
import { postgresFileStore } from "./file-store-postgres.js";
import { sweepLeftovers } from "./files.js";
import type { FinishHook } from "./finish-hook.js";
import type { ProcessRecord } from "./process-record.js";
import { loadScripts, type ScriptRegistry } from "./registry.js";
import type { ScriptDefinition, ScriptServices } from "./script.js";
import { createProcessService, type ProcessService } from "./service.js";
import { createVault, type SecretVault } from "./vault.js";
import "./services.js";
import { createUnsettledWrites } from "./unsettled-writes.js";
import { createWriteHistory } from "./write-history.js";

/** Everything one OS process needs to create, run and watch processes on a data directory. */
export interface Engine {
  readonly config: NightshiftConfig;
  readonly store: Store;
  readonly scripts: ScriptRegistry;
  readonly events: EngineEmitter;
  readonly service: ProcessService;
  /** This OS process's worker id (`host:pid:random`). */
  readonly workerId: string;
  readonly clock: Clock;
  /** Free space against the disk reserve of the data directory's disk. */
  readonly disk: DiskGuard;
  /** Where process files and logs live (config `fileStore`). */
  readonly files: FileStore;
  /**
   * This node's one PostgreSQL LISTEN connection (channels multiplexed; it connects on the first subscriber).
   * Absent on SQLite.
   */
  readonly notifications?: NotifyListener;
  /** A dispatcher on this engine; options default from the config (concurrency, heartbeat, lease). */
  createDispatcher(options?: Partial<DispatcherOptions>): Dispatcher;
  close(): Promise<void>;
}

export interface OpenEngineOptions {
  readonly config: NightshiftConfig;
  /** Default: `builtInScripts` plus the config's scriptModules. */
  readonly scripts?: ScriptRegistry;
  /** The built-in scripts (src/scripts), handed in by the composition root; used when `scripts` is absent. */
  readonly builtInScripts?: readonly ScriptDefinition[];
  readonly clock?: Clock;
  readonly workerId?: string;
  /** Extra `ctx.services` for a process (e.g. the WorldCat client of its service account). */
  readonly services?: (process: ProcessRecord) => Partial<ScriptServices>;
  /** The same services before a process exists, for a script's preflight (by the account it would run under). */
  readonly preflightServices?: (account: string | undefined) => Partial<ScriptServices>;
  /**
   * Run in the transaction that ends each process. Default: the notification outbox of the config's rules
   * (src/notify); none when the config has no rules.
   */
  readonly onFinish?: FinishHook;
}

/**
 * ```ts
 * const engine = await openEngine({ config: await loadConfig() });
 * const dispatcher = engine.createDispatcher();
 * await dispatcher.start();
 * ```
 */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const { config } = options;
  const scripts = options.scripts ?? (await loadScripts(config, options.builtInScripts ?? []));
  // Private to the service account (uploads, logs, the database), new or not: see data-dir.ts.
  await makeDataDirPrivate(config.dataDir);
  // What a crash left half-staged is swept; nothing refers to it.
  await sweepLeftovers(config.dataDir, Date.now()); // file times are wall-clock times
  const store = await openStore(config);
  const events = createEmitter();
  const vault: SecretVault = createVault();
  const clock = options.clock ?? systemClock;
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const onFinish = options.onFinish ?? outboxWriter(parseNotifyConfig(config), clock);
  const disk = diskGuard(config.dataDir, config.diskReserveBytes ?? 0);
  const notifications = openNotifications(config, store, events);
  const files =
    config.fileStore === "postgres" && store.dialect === "postgres"
      ? postgresFileStore({ store, dataDir: config.dataDir, listener: notifications })
      : directoryFileStore(config.dataDir);
  // Followers of a log in other OS processes (other nodes) learn that its process ended.
  events.on("process:finished", ({ process, logEnded }) =>
    logEnded ? undefined : files.logs.ended(process.id),
  );
  const boundAccount = (script: string) => {
    const account = config.scripts[script]?.account;
    return typeof account === "string" && account !== "" ? account : undefined;
  };
  const base = {
    store,
    events,
    scripts,
    vault,
    dataDir: config.dataDir,
    files,
    workerId,
    clock,
    onFinish,
    boundAccount,
    // The configured accounts, and `sandbox`, which is provided when none has that name.
    accounts: () => [...new Set([...Object.keys(config.accounts), "sandbox"])],
    disk,
    preflightServices: options.preflightServices,
  };
  const service = createProcessService(base);
  const woken = { notifications };
  const deps = {
    ...base,
    ...woken,
    services: (p: ProcessRecord) => ({
      ...options.services?.(p),
      processes: service,
      unsettledWrites: createUnsettledWrites(store, clock, p.id),
      writeHistory: createWriteHistory(store, clock, p.id),
    }),
  };
  const dispatchers = new Set<Dispatcher>();
  return Object.freeze({
    config,
    store,
    scripts,
    events,
    workerId,
    clock,
    service,
    disk,
    files,
    ...(notifications ? { notifications } : {}),
    createDispatcher: (partial: Partial<DispatcherOptions> = {}) => {
      const dispatcher = createDispatcher(
        deps,
        dispatcherDefaults({
          concurrency: config.concurrency,
          heartbeatMs: config.heartbeatMs,
          leaseMs: config.leaseMs,
          ...(config.pollMs === undefined ? {} : { pollMs: config.pollMs }),
          ...partial,
        }),
      );
      dispatchers.add(dispatcher);
      return dispatcher;
    },
    // A dispatcher still running is stopped first (its last writes need the store).
    close: async () => {
      await Promise.all([...dispatchers].map((d) => d.stop()));
      await notifications?.close();
      await store.close();
    },
  });
}

/**
 * What wakes this OS process when another one changed something (a new process, a cancel request): LISTEN on
 * PostgreSQL, a watch on the data directory's wake files on SQLite (store/sqlite/wake.ts); none with
 * `listen: false` (polls only).
 */
function openNotifications(
  config: NightshiftConfig,
  store: Store,
  events: EngineEmitter,
): NotifyListener | undefined {
  if (config.listen === false) return undefined;
  if (store.dialect === "sqlite") {
    return createWakeListener(config.dataDir, {
      onError: (error) => events.emit("engine:error", { error, context: "wake files" }),
    });
  }
  if (!config.databaseUrl) return undefined;
  return createNotifyListener(config.databaseUrl, {
    onError: (error) => events.emit("engine:error", { error, context: "PostgreSQL notifications" }),
  });
}
