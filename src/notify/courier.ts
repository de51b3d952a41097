/**
 * The courier: delivers the outbox from any running instance (serve, worker, a foreground run). Each
 * notification is claimed before it is sent (one instance sends it), marked sent, or tried again later with
 * backoff, or failed with the reason after the last attempt. A claim whose instance died while sending is
 * failed, not sent again: a notification is never sent twice. A notification never changes its process.
 */
import { resolve } from "node:path";
import type { NightshiftConfig } from "../config/config.js";
import type { Clock } from "../engine/clock.js";
import type { EngineEmitter } from "../engine/events.js";
import type { FileStore } from "../engine/file-store.js";
import { coerceError } from "../errors.js";
import { getProcess } from "../store/queries/get-process.js";
import {
  claimNotifications,
  failAbandonedNotifications,
  markNotificationsSent,
  markNotificationsUndelivered,
} from "../store/queries/notifications.js";
import type { NotificationRow } from "../store/schema.js";
import { isoTime, type Store } from "../store/store.js";
import { isSandboxAccount } from "./accounts.js";
import { openSender, type Sender } from "./channels/index.js";
import type { NotifyConfig } from "./config.js";
import { gatherFacts, type MessageFacts } from "./facts.js";
import { digestMessage, type Message, processMessage } from "./message.js";
import { configSecretValues, createSecretMask } from "./secrets.js";

export interface CourierOptions {
  readonly store: Store;
  readonly config: NightshiftConfig;
  readonly notify: NotifyConfig;
  readonly workerId: string;
  readonly clock: Clock;
  readonly events?: EngineEmitter;
  /** Where logs and files are (the last log lines, the failures file); default: the data directory. */
  readonly files?: FileStore;
  readonly env?: NodeJS.ProcessEnv;
  /** How often to look for due notifications (default 5 s; a process ending here wakes it at once). */
  readonly pollMs?: number;
  /** How long one delivery may take (default 30 s). */
  readonly timeoutMs?: number;
  /** Attempts before a notification fails for good (default 6). */
  readonly maxAttempts?: number;
  /** Wait before attempt n+1 after n failed ones (default 30 s x 4^(n-1), at most 2 h). */
  readonly backoffMs?: (failedAttempts: number) => number;
}

export interface DeliveryRound {
  readonly sent: number;
  readonly retried: number;
  readonly failed: number;
}

export interface Courier {
  /** Delivers what is due now, once; returns what became of it. */
  deliverDue(): Promise<DeliveryRound>;
  /** Keeps delivering until stop(). */
  start(): void;
  stop(): Promise<void>;
}

const CLAIM_MS = 10 * 60_000;

export const defaultBackoff = (n: number) => Math.min(2 * 3600_000, 30_000 * 4 ** Math.max(0, n - 1));

export function createCourier(o: CourierOptions): Courier {
  const env = o.env ?? process.env;
  const timeoutMs = o.timeoutMs ?? 30_000;
  const maxAttempts = o.maxAttempts ?? 6;
  const backoff = o.backoffMs ?? defaultBackoff;
  const baseDir = o.config.configPath ? resolve(o.config.configPath, "..") : process.cwd();
  const report = (err: unknown, context: string) =>
    o.events?.emit("engine:error", { error: coerceError(err), context: `notifications: ${context}` });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DeliveryRound> | undefined;
  let again = false;
  let stopped = true;
  const unsubscribe: (() => void)[] = [];

  async function deliverDue(): Promise<DeliveryRound> {
    // Secrets are read at each round: a rotated password or a variable set later is taken up.
    const mask = createSecretMask(configSecretValues(o.config, env));
    const senders = new Map<string, Sender | Error>();
    const sender = (name: string): Sender => {
      let s = senders.get(name);
      if (!s) {
        const channel = o.notify.channels.get(name);
        try {
          if (!channel) throw new Error(`no channel ${name} in the config (any more)`);
          s = openSender(channel, { env, baseDir, mask, now: () => o.clock.now(), timeoutMs });
        } catch (err) {
          s = coerceError(err);
        }
        senders.set(name, s);
      }
      if (s instanceof Error) throw s;
      return s;
    };
    const tally = { sent: 0, retried: 0, failed: 0 };
    const deliver = async (rows: NotificationRow[], message: () => Promise<Message>) => {
      const ids = rows.map((r) => r.id);
      const [first] = rows;
      try {
        await sender(first.channel).send(await message(), recipients(first), `nightshift-${ids.join("-")}`);
        await o.store.write((db) => markNotificationsSent(db, ids, o.workerId, isoTime(o.clock.now())));
        tally.sent += rows.length;
      } catch (err) {
        const reason = mask(coerceError(err).message).slice(0, 1000);
        const last = first.attempts >= maxAttempts;
        const retryAt = last ? null : isoTime(o.clock.now() + backoff(first.attempts));
        await o.store.write((db) => markNotificationsUndelivered(db, ids, o.workerId, reason, retryAt));
        if (last) tally.failed += rows.length;
        else tally.retried += rows.length;
      }
    };
    try {
      await o.store.write((db) => failAbandonedNotifications(db, isoTime(o.clock.now())));
      // One at a time: a claim covers one send, so a crash leaves at most that one unsure.
      const tried: number[] = [];
      for (;;) {
        const [row] = await claim(false, 1, tried);
        if (!row) break;
        tried.push(row.id);
        await deliver([row], async () => processMessage(await facts(row)));
      }
      const digestRows = await claim(true, 1000);
      for (const group of groupDigests(digestRows)) {
        await deliver(group, async () => digestMessage(await Promise.all(group.map(facts)), o.clock.now()));
      }
    } finally {
      for (const s of senders.values()) if (!(s instanceof Error)) s.close();
    }
    return tally;
  }

  function claim(digest: boolean, max: number, except: number[] = []) {
    const now = o.clock.now();
    return o.store.write((db) =>
      claimNotifications(db, {
        by: o.workerId,
        now: isoTime(now),
        until: isoTime(now + CLAIM_MS),
        max,
        digest,
        except,
      }),
    );
  }

  async function facts(row: NotificationRow): Promise<MessageFacts> {
    const process = await getProcess(o.store.db, row.process_id);
    if (!process) throw new Error(`process ${row.process_id} is gone`);
    return gatherFacts(
      {
        db: o.store.db,
        dataDir: o.config.dataDir,
        ...(o.files ? { files: o.files } : {}),
        publicUrl: o.notify.publicUrl,
        isSandbox: (account) => isSandboxAccount(o.config.accounts, account),
      },
      process,
      row.lost === 1,
    );
  }

  function round() {
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = (async () => {
      const total = { sent: 0, retried: 0, failed: 0 };
      do {
        again = false;
        try {
          const r = await deliverDue();
          total.sent += r.sent;
          total.retried += r.retried;
          total.failed += r.failed;
        } catch (err) {
          report(err, "delivery round");
        }
      } while (again && !stopped);
      return total;
    })();
    void running.finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(round, o.pollMs ?? 5000);
    });
  }

  return {
    deliverDue,
    start() {
      if (!stopped) return;
      stopped = false;
      if (o.events) unsubscribe.push(o.events.on("process:finished", () => round()));
      round();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      for (const off of unsubscribe.splice(0)) off();
      await running;
    },
  };
}

function recipients(row: NotificationRow): string[] | null {
  return row.recipients ? (JSON.parse(row.recipients) as string[]) : null;
}

/** Digest rows sent together: same channel, same recipients. */
function groupDigests(rows: NotificationRow[]): NotificationRow[][] {
  const groups = new Map<string, NotificationRow[]>();
  for (const row of rows) {
    const key = `${row.channel}\n${row.recipients ?? ""}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()];
}
