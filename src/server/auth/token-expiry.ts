/**
 * When an API token stops working, as people write it: a duration from now (`90d`, `12h`, `30m`) or a date
 * (`2026-12-31`, the end of that day in UTC, or an ISO 8601 date-time). Shared by the CLI and REST.
 */
import { InvalidUserError } from "./errors.js";

const DURATION = /^(\d+)\s*(d|h|m|w)$/i;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

export function parseTokenExpiry(written: string, now: number = Date.now()): Date {
  const text = written.trim();
  const duration = DURATION.exec(text);
  if (duration) return new Date(now + Number(duration[1]) * UNIT_MS[duration[2].toLowerCase()]);
  const at = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T23:59:59.999Z`) : Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at))
    throw new InvalidUserError(
      "token",
      `--expires '${written}': expected a duration (90d, 12h, 30m, 2w) or a date (2026-12-31 or ISO 8601)`,
    );
  if (at <= now) throw new InvalidUserError("token", `--expires '${written}' is in the past`);
  return new Date(at);
}
