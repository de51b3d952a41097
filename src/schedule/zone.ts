/**
 * IANA time zones without a date library: the zone's UTC offset at an instant (from Intl), and the mapping
 * from a wall-clock time in the zone to the instant it names, with the daylight-saving rules of issue 9:
 * a wall time that does not exist (clocks jump forward) names the first valid instant after the gap; a wall
 * time that happens twice (clocks fall back) names its first occurrence.
 * Wall-clock times are carried as "fake UTC" milliseconds: the wall time's fields read as if it were UTC.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone name. */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The server's own zone (what a schedule without `timezone` uses). */
export function serverTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** The wall-clock time at `instant` in `zone`, as fake-UTC milliseconds (whole seconds kept, ms too). */
export function toWall(instant: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(instant))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const ms = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, ms);
}

/** The zone's offset from UTC at `instant`, in milliseconds (Berlin in summer: +7,200,000). */
export function offsetAt(instant: number, zone: string): number {
  return toWall(instant, zone) - instant;
}

const DAY = 86_400_000;

/**
 * The instant a wall-clock time names in `zone`: the first occurrence when it happens twice, the first
 * valid instant after the gap when it does not exist.
 */
export function fromWall(wall: number, zone: string): number {
  const before = offsetAt(wall - DAY, zone);
  const after = offsetAt(wall + DAY, zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => toWall(instant, zone) === wall)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0];
  // In a gap: the transition itself is the first valid instant after it. It lies between the instant the
  // wall time would be under the new offset and under the old one; found to the millisecond by bisection.
  let lo = Math.min(wall - after, wall - before);
  let hi = Math.max(wall - after, wall - before);
  const startOffset = offsetAt(lo, zone);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid, zone) === startOffset) lo = mid;
    else hi = mid;
  }
  return hi;
}
