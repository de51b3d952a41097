/**
 * The outbox: notifications are rows written in the same transaction that ends the process, so a process
 * that ended always has its notifications, and a crash before they are sent loses none (the courier delivers
 * them from any running instance).
 */
import type { Clock } from "../engine/clock.js";
import type { FinishHook } from "../engine/finish-hook.js";
import { insertNotifications } from "../store/queries/notifications.js";
import { isoTime } from "../store/store.js";
import type { DigestTime, NotifyConfig } from "./config.js";
import { firingRules } from "./rules.js";

/** The FinishHook that writes the outbox rows; undefined when no rule is configured. */
export function outboxWriter(config: NotifyConfig, clock: Clock): FinishHook | undefined {
  const any =
    config.global.length > 0 ||
    [config.scripts, config.schedules, config.triggers].some((m) => Object.keys(m).length > 0);
  if (!any) return undefined;
  return async (db, { row, lost }) => {
    const now = clock.now();
    const rules = firingRules(config, row, lost, originOf(row));
    await insertNotifications(
      db,
      rules.map((rule) => ({
        processId: row.id,
        channel: rule.channel,
        recipients: rule.to ?? null,
        rule: `${rule.key} (${rule.when.join(", ")})`,
        digest: !!rule.digest,
        lost,
        dueAt: isoTime(rule.digest ? nextDigestTime(rule.digest, now) : now),
        createdAt: isoTime(now),
      })),
    );
  };
}

/** The schedule or trigger a process came from, when the row records one. */
export function originOf(row: object): { schedule?: string | null; trigger?: string | null } {
  // a process record says `schedule`/`trigger`; a store row `schedule_name`/`trigger_name`
  const r = row as {
    schedule?: string | null;
    trigger?: string | null;
    schedule_name?: string | null;
    trigger_name?: string | null;
  };
  return { schedule: r.schedule ?? r.schedule_name ?? null, trigger: r.trigger ?? r.trigger_name ?? null };
}

/** The next time of day `at` (local time of this instance) after `now`. */
export function nextDigestTime(at: DigestTime, now: number): number {
  const next = new Date(now);
  next.setHours(at.hour, at.minute, 0, 0);
  if (next.getTime() <= now) next.setDate(next.getDate() + 1);
  return next.getTime();
}
