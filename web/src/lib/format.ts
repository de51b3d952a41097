/** How numbers, sizes, times and durations read in the UI. */

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return "–";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/**
 * A time for people. With `timeZone` (a schedule's), shown in that zone and named, so "every Monday at 02:00
 * Europe/Berlin" lists its runs at 02:00, not at the browser's clock time.
 */
export function formatTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const text = d.toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    ...(timeZone ? { timeZone } : {}),
  });
  return timeZone ? `${text} ${timeZone}` : text;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

export const formatCount = (n: number) => n.toLocaleString("en-US");

/**
 * Time left, from the rate so far: elapsed / done * (total - done). Undefined until there is a rate to go by.
 */
export function estimateRemainingMs(
  startIso: string | null,
  progress: { done: number; total: number | null } | null,
  now: number,
): number | undefined {
  if (!startIso || !progress?.total || progress.done <= 0) return undefined;
  const elapsed = now - new Date(startIso).getTime();
  if (elapsed <= 0) return undefined;
  return (elapsed / progress.done) * (progress.total - progress.done);
}
