/** WorldCat's 005 "date and time of latest transaction": YYYYMMDDHHMMSS.T, always increasing in one sandbox. */
export interface Stamper {
  /** A fresh 005 value, strictly later than any handed out before. */
  next(): string;
}

export function createStamper(now: () => number): Stamper {
  let last = 0;
  return {
    next() {
      // Two writes in the same tenth of a second must still get different 005s, or stale-005 checks break.
      last = Math.max(Math.floor(now() / 100) * 100, last + 100);
      return format005(last);
    },
  };
}

export function format005(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return (
    `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${Math.floor(d.getUTCMilliseconds() / 100)}`
  );
}
