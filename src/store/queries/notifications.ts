import { sql } from "kysely";
import type { NotificationRow } from "../schema.js";
import { type Db, isPostgres } from "../store.js";

/** A notification to write in the transaction that ends its process. */
export interface NewNotification {
  readonly processId: number;
  readonly channel: string;
  readonly recipients: readonly string[] | null;
  readonly rule: string;
  readonly digest: boolean;
  readonly lost: boolean;
  /** When it is due: now, or the next digest time. */
  readonly dueAt: string;
  readonly createdAt: string;
}

/** Writes outbox rows (inside the finishing transaction). */
export async function insertNotifications(db: Db, rows: readonly NewNotification[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto("notifications")
    .values(
      rows.map((n) => ({
        process_id: n.processId,
        channel: n.channel,
        recipients: n.recipients ? JSON.stringify(n.recipients) : null,
        rule: n.rule,
        digest: n.digest ? 1 : 0,
        lost: n.lost ? 1 : 0,
        status: "pending" as const,
        attempts: 0,
        next_attempt_at: n.dueAt,
        created_at: n.createdAt,
      })),
    )
    .execute();
}

export interface NotificationClaim {
  readonly by: string;
  readonly now: string;
  readonly until: string;
  readonly max: number;
  /** Digest rows (sent together per channel and recipients) instead of single messages. */
  readonly digest: boolean;
  /** Not these (tried already in this round). */
  readonly except?: readonly number[];
}

/**
 * Claims due pending notifications for one instance: `sending`, with a claim that expires. Run inside
 * `store.write` (SQLite: the write lock; PostgreSQL: the rows are locked, skipping those another claims).
 */
export async function claimNotifications(db: Db, c: NotificationClaim): Promise<NotificationRow[]> {
  let pick = db
    .selectFrom("notifications")
    .select("id")
    .where("status", "=", "pending")
    .where("digest", "=", c.digest ? 1 : 0)
    .where("next_attempt_at", "<=", c.now)
    .orderBy("id")
    .limit(c.max);
  if (c.except?.length) pick = pick.where("id", "not in", c.except);
  if (isPostgres(db)) pick = pick.forUpdate().skipLocked();
  const ids = (await pick.execute()).map((r) => r.id);
  if (ids.length === 0) return [];
  return db
    .updateTable("notifications")
    .set((eb) => ({
      status: "sending",
      claimed_by: c.by,
      claim_expires_at: c.until,
      attempts: eb("attempts", "+", 1),
    }))
    .where("id", "in", ids)
    .where("status", "=", "pending")
    .returningAll()
    .execute();
}

/** Sent: done for good. Only by the instance holding the claim. */
export async function markNotificationsSent(db: Db, ids: readonly number[], by: string, at: string) {
  if (ids.length === 0) return;
  await db
    .updateTable("notifications")
    .set({ status: "sent", sent_at: at, claimed_by: null, claim_expires_at: null, last_error: null })
    .where("id", "in", ids)
    .where("status", "=", "sending")
    .where("claimed_by", "=", by)
    .execute();
}

/** Not delivered: tried again at `retryAt`, or failed for good (retryAt null) with the reason. */
export async function markNotificationsUndelivered(
  db: Db,
  ids: readonly number[],
  by: string,
  reason: string,
  retryAt: string | null,
) {
  if (ids.length === 0) return;
  await db
    .updateTable("notifications")
    .set({
      status: retryAt === null ? "failed" : "pending",
      ...(retryAt === null ? {} : { next_attempt_at: retryAt }),
      claimed_by: null,
      claim_expires_at: null,
      last_error: reason,
    })
    .where("id", "in", ids)
    .where("status", "=", "sending")
    .where("claimed_by", "=", by)
    .execute();
}

/**
 * A claim whose instance died while sending: whether the message left is unknown, so it is not sent again
 * (never twice); it ends failed with the reason. Returns how many.
 */
export async function failAbandonedNotifications(db: Db, now: string): Promise<number> {
  const result = await db
    .updateTable("notifications")
    .set((eb) => ({
      status: "failed",
      // The texts are cast: PostgreSQL cannot type a parameter of the variadic concat() by itself.
      last_error: eb.fn<string>("concat", [
        sql`cast(${"the instance sending it ("} as text)`,
        eb.ref("claimed_by"),
        sql`cast(${") stopped while sending: it may or may not have arrived, so it is not sent again"} as text)`,
      ]),
      claimed_by: null,
      claim_expires_at: null,
    }))
    .where("status", "=", "sending")
    .where("claim_expires_at", "<", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The notifications of one process, oldest first. */
export function listProcessNotifications(db: Db, processId: number): Promise<NotificationRow[]> {
  return db
    .selectFrom("notifications")
    .selectAll()
    .where("process_id", "=", processId)
    .orderBy("id")
    .execute();
}
