import type { NotificationRow } from "../store/schema.js";

/** A notification as the CLI and REST show it (camelCase; the message itself is not kept). */
export interface NotificationRecord {
  readonly id: number;
  readonly processId: number;
  readonly channel: string;
  /** Addresses given by the rule; null: the channel's own. */
  readonly recipients: readonly string[] | null;
  /** The rule that matched: its config key and `when`. */
  readonly rule: string;
  readonly digest: boolean;
  readonly status: NotificationRow["status"];
  readonly attempts: number;
  /** When it is (or was) next tried. */
  readonly nextAttemptAt: string;
  /** Why the last attempt failed. */
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

export function toNotificationRecord(row: NotificationRow): NotificationRecord {
  return Object.freeze({
    id: row.id,
    processId: row.process_id,
    channel: row.channel,
    recipients: row.recipients ? (JSON.parse(row.recipients) as string[]) : null,
    rule: row.rule,
    digest: row.digest === 1,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  });
}

/** One line per notification for the CLI. */
export function notificationLines(list: readonly NotificationRecord[]): string {
  if (list.length === 0) return "no notifications\n";
  return list
    .map((n) => {
      const to = n.recipients ? ` to ${n.recipients.join(", ")}` : "";
      const when =
        n.status === "sent"
          ? `sent ${n.sentAt}`
          : n.status === "pending"
            ? `${n.digest ? "in the digest at" : "next attempt"} ${n.nextAttemptAt}`
            : n.status;
      const why = n.lastError ? ` (${n.lastError})` : "";
      return `#${n.id} ${n.channel}${to}: ${n.status.toUpperCase()} after ${n.attempts} attempt${n.attempts === 1 ? "" : "s"}, ${when}${why}; rule ${n.rule}`;
    })
    .join("\n")
    .concat("\n");
}
