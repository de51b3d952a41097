/**
 * One PostgreSQL LISTEN connection per OS process (per node), its channels multiplexed: whoever wants to be
 * woken by a NOTIFY (a log follower, a dispatcher waiting for new work) subscribes to a channel here instead of
 * opening a connection of its own. A notification can be missed (the connection broke and was opened again):
 * then every subscriber is called with `undefined`, "something may have happened", and looks for itself; every
 * subscriber keeps a slow poll besides, as the listener is a wake-up, never the truth.
 *
 * ```ts
 * const listener = createNotifyListener(url);
 * const off = listener.subscribe("nightshift_log", (payload) => wake(payload));
 * await notify(db, "nightshift_log", "42");
 * off(); await listener.close();
 * ```
 */
import { sql } from "kysely";
import pg from "pg";
import type { Db } from "../store.js";

/** Called with the notification's payload, or `undefined` when notifications may have been missed. */
export type NotifyHandler = (payload: string | undefined) => void;

export interface NotifyListener {
  /** Subscribes to a channel (LISTEN on first use); returns the function that unsubscribes. */
  subscribe(channel: string, handler: NotifyHandler): () => void;
  /** Resolves once the connection listens on every subscribed channel (tests wait for it before a NOTIFY). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Channel names are identifiers in LISTEN: only these are accepted (they are ours, never a user's). */
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** Sends a notification (delivered when the transaction of `db` commits, or at once outside one). */
export async function notify(db: Db, channel: string, payload: string): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

export function createNotifyListener(
  url: string,
  options: { readonly reconnectMs?: number; readonly onError?: (err: Error) => void } = {},
): NotifyListener {
  const handlers = new Map<string, Set<NotifyHandler>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let listening = new Set<string>();
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const callAll = (channel: string | undefined, payload: string | undefined) => {
    for (const [name, set] of handlers) {
      if (channel !== undefined && name !== channel) continue;
      for (const h of [...set]) {
        try {
          h(payload);
        } catch (err) {
          options.onError?.(err as Error);
        }
      }
    }
  };

  const drop = (err?: Error) => {
    if (err) options.onError?.(err);
    const old = client;
    client = undefined;
    connecting = undefined;
    listening = new Set();
    old?.end().catch(() => undefined);
    if (closed || handlers.size === 0) return;
    // Whatever was sent while the connection was down is lost: subscribers look for themselves.
    callAll(undefined, undefined);
    retry ??= setTimeout(() => {
      retry = undefined;
      void ensure();
    }, options.reconnectMs ?? 1000);
  };

  const ensure = (): Promise<void> => {
    if (closed || handlers.size === 0) return Promise.resolve();
    connecting ??= (async () => {
      if (!client) {
        const c = new pg.Client({ connectionString: url, application_name: "nightshift-listen" });
        c.on("notification", (n) => callAll(n.channel, n.payload));
        c.on("error", (err) => drop(err));
        c.on("end", () => {
          if (client === c) drop();
        });
        client = c;
        await c.connect();
      }
      for (const channel of handlers.keys()) {
        if (listening.has(channel)) continue;
        await client.query(`LISTEN ${channel}`);
        listening.add(channel);
        // What was sent before the LISTEN took effect was not heard: its subscribers look for themselves.
        callAll(channel, undefined);
      }
    })().then(
      () => {
        connecting = undefined;
        // A channel subscribed while connecting: listen to it too.
        if ([...handlers.keys()].some((c) => !listening.has(c))) return ensure();
      },
      (err: Error) => drop(err),
    );
    return connecting;
  };

  return {
    subscribe(channel, handler) {
      if (!CHANNEL.test(channel)) throw new Error(`not a notification channel name: ${channel}`);
      const set = handlers.get(channel) ?? new Set();
      handlers.set(channel, set);
      set.add(handler);
      void ensure();
      return () => {
        set.delete(handler);
        if (set.size > 0) return;
        handlers.delete(channel);
        if (client && listening.has(channel)) {
          listening.delete(channel);
          client.query(`UNLISTEN ${channel}`).catch(() => undefined);
        }
      };
    },
    async ready() {
      while (
        !closed &&
        handlers.size > 0 &&
        (connecting || [...handlers.keys()].some((c) => !listening.has(c)))
      ) {
        if (connecting) await connecting;
        else await new Promise((resolve) => setTimeout(resolve, 50)); // a reconnect is pending
      }
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      handlers.clear();
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
