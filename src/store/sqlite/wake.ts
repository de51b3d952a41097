/**
 * Wake-ups between the OS processes of one SQLite data directory: what LISTEN/NOTIFY is on PostgreSQL. A
 * committed write that notifies (a new process, a cancel request, a schedule change; see queries/notify.ts)
 * rewrites a small file per channel in `<dataDir>/wake/`, and every OS process on the directory watches that
 * folder (inotify on Linux) and calls its subscribers. SQLite's OS processes share one machine, so a watch
 * sees them all. A wake-up is a hint without payload: subscribers read the database, and keep their slow poll
 * as the fallback (a watch that cannot be set up, a network file system).
 *
 * ```ts
 * const listener = createWakeListener(dataDir);
 * const off = listener.subscribe(CHANNELS.cancel, () => lookForCancelRequests());
 * // another OS process: store.write((db) => notify(db, CHANNELS.cancel, "7"))  -> wakes it on commit
 * ```
 */
import { type FSWatcher, mkdirSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NotifyHandler, NotifyListener } from "../postgres/notify.js";

/** The folder of the wake files inside a data directory. */
export function wakeDir(dataDir: string): string {
  return join(dataDir, "wake");
}

/** Channel names are file names here: only ours (as CHANNELS spells them) are accepted. */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** Channels notified inside a write transaction (by its connection), sent when it commits. */
const pending = new WeakMap<object, Set<string>>();
/** The senders of the stores' own handles, for a notification outside a transaction. */
const senders = new WeakMap<object, WakeSender>();

export type WakeSender = (channels: Iterable<string>) => void;

/** Sends the wake files of `channels` at once (errors are dropped: the pollers still look). */
export function wakeSender(dataDir: string): WakeSender {
  const dir = wakeDir(dataDir);
  let made = false;
  return (channels) => {
    for (const channel of channels) {
      if (!CHANNEL.test(channel)) continue;
      try {
        if (!made) mkdirSync(dir, { recursive: true, mode: 0o700 });
        made = true;
        writeFileSync(join(dir, channel), `${Date.now()}\n`, { mode: 0o600 });
      } catch {
        // A hint only.
      }
    }
  };
}

/** Makes `db` (a store's own handle) send its notifications outside transactions through `send`. */
export function registerWakeSender(db: object, send: WakeSender): void {
  senders.set(db, send);
}

/**
 * Runs `fn` with the transaction's handle collecting the channels it notifies; `send` gets them only when
 * `commit` (the caller's) succeeded, as PostgreSQL delivers a NOTIFY on commit and drops it on rollback.
 */
export function collectWakes(conn: object): { take(): Set<string> } {
  const channels = new Set<string>();
  pending.set(conn, channels);
  return {
    take() {
      pending.delete(conn);
      return channels;
    },
  };
}

/** A notification on SQLite: queued until the transaction of `db` commits, or sent at once outside one. */
export function queueWake(db: object, channel: string): void {
  const inTransaction = pending.get(db);
  if (inTransaction) inTransaction.add(channel);
  else senders.get(db)?.([channel]);
}

/** Watches `<dataDir>/wake/`: a NotifyListener whose handlers get `undefined` ("look for yourself"). */
export function createWakeListener(
  dataDir: string,
  options: { readonly onError?: (err: Error) => void } = {},
): NotifyListener {
  const dir = wakeDir(dataDir);
  const handlers = new Map<string, Set<NotifyHandler>>();
  let watcher: FSWatcher | undefined;
  let closed = false;

  const start = () => {
    if (watcher || closed) return;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Not persistent: a watch alone keeps no OS process alive.
      watcher = watch(dir, { persistent: false }, (_event, name) => {
        const names = name ? [String(name)] : [...handlers.keys()];
        for (const channel of names)
          for (const h of [...(handlers.get(channel) ?? [])]) {
            try {
              h(undefined);
            } catch (err) {
              options.onError?.(err as Error);
            }
          }
      });
      watcher.on("error", (err) => {
        options.onError?.(err);
        watcher?.close();
        watcher = undefined;
      });
    } catch (err) {
      // No watch (a file system without one): the subscribers' polls still look.
      options.onError?.(err as Error);
      watcher = undefined;
    }
  };

  return {
    subscribe(channel, handler) {
      const set = handlers.get(channel) ?? new Set<NotifyHandler>();
      handlers.set(channel, set);
      set.add(handler);
      start();
      return () => {
        set.delete(handler);
        if (set.size === 0) handlers.delete(channel);
      };
    },
    ready: () => Promise.resolve(),
    async close() {
      closed = true;
      watcher?.close();
      watcher = undefined;
      handlers.clear();
    },
  };
}
