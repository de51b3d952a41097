/**
 * Cron for the schedule form: a plain-language description ("every Monday at 02:00 Europe/Berlin") and the
 * next run times, computed in the browser before the schedule is saved (the server's own next runs are shown
 * once it is). 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first; lists, ranges,
 * steps and names (MON, JAN). Day of month and day of week combine as in cron: either matches when both are
 * restricted.
 */

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

interface Field {
  readonly values: readonly number[];
  readonly any: boolean;
}

export interface Cron {
  readonly second: Field;
  readonly minute: Field;
  readonly hour: Field;
  readonly dom: Field;
  readonly month: Field;
  readonly dow: Field;
}

export class CronError extends Error {}

function parseField(
  text: string,
  min: number,
  max: number,
  names: readonly string[] | undefined,
  what: string,
): Field {
  const values = new Set<number>();
  const value = (v: string) => {
    const named = names ? names.indexOf(v.toUpperCase()) : -1;
    const n = named >= 0 ? named + (what === "month" ? 1 : 0) : Number(v);
    if (!/^\d+$/.test(v) && named < 0) throw new CronError(`${what}: '${v}' is not a number`);
    if (n < min || n > max) throw new CronError(`${what}: ${v} is outside ${min}-${max}`);
    return n;
  };
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`${what}: bad step '${stepText}'`);
    let lo = min;
    let hi = max;
    if (range !== "*") {
      const [a, b] = range.split("-");
      lo = value(a);
      hi = b === undefined ? (stepText === undefined ? lo : max) : value(b);
      if (hi < lo) throw new CronError(`${what}: range ${range} runs backwards`);
    }
    for (let v = lo; v <= hi; v += step) values.add(what === "day of week" && v === 7 ? 0 : v);
  }
  return { values: [...values].sort((x, y) => x - y), any: text === "*" };
}

export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6)
    throw new CronError(`a cron expression has 5 fields (or 6 with seconds first); got ${parts.length}`);
  const [sec, ...rest] = parts.length === 6 ? parts : ["0", ...parts];
  const [min, hour, dom, month, dow] = rest;
  return {
    second: parseField(sec, 0, 59, undefined, "second"),
    minute: parseField(min, 0, 59, undefined, "minute"),
    hour: parseField(hour, 0, 23, undefined, "hour"),
    dom: parseField(dom, 1, 31, undefined, "day of month"),
    month: parseField(month, 1, 12, MONTHS, "month"),
    dow: parseField(dow, 0, 7, DAYS, "day of week"),
  };
}

const pad = (n: number) => String(n).padStart(2, "0");
const list = (items: string[]) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;

/** "every Monday at 02:00 Europe/Berlin", "every 15 minutes", "on day 1 of every month at 06:30 UTC". */
export function describeCron(expression: string, timezone: string): string {
  const c = parseCron(expression);
  let time: string;
  if (c.minute.any && c.hour.any) time = "every minute";
  else if (c.hour.any && c.minute.values.length > 1 && /\/\d+/.test(expression.split(/\s+/).at(-5) ?? ""))
    time = `every ${c.minute.values[1] - c.minute.values[0]} minutes`;
  else if (c.hour.any) time = `every hour at minute ${list(c.minute.values.map(String))}`;
  else if (c.hour.values.length * c.minute.values.length <= 6)
    time = `at ${list(c.hour.values.flatMap((h) => c.minute.values.map((m) => `${pad(h)}:${pad(m)}`)))}`;
  else time = `at minute ${list(c.minute.values.map(String))} of hours ${list(c.hour.values.map(String))}`;
  let days = "every day";
  if (!c.dow.any && c.dom.any) days = `every ${list(c.dow.values.map((d) => DAY_NAMES[d]))}`;
  else if (!c.dom.any && c.dow.any) days = `on day ${list(c.dom.values.map(String))} of the month`;
  else if (!c.dom.any && !c.dow.any)
    days = `on day ${list(c.dom.values.map(String))} of the month and every ${list(c.dow.values.map((d) => DAY_NAMES[d]))}`;
  const months = c.month.any ? "" : ` in ${list(c.month.values.map((m) => MONTH_NAMES[m - 1]))}`;
  return `${days}${months} ${time} ${timezone}`;
}

/** Wall-clock fields of an instant in a time zone. */
function wall(ms: number, fmt: Intl.DateTimeFormat) {
  const parts = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    dow: DAYS.indexOf(String(parts.weekday).toUpperCase().slice(0, 3)),
  };
}

/** The next `count` run times after `from` (ms), in UTC ISO strings; looks at most two years ahead. */
export function nextRuns(expression: string, timezone: string, count: number, from = Date.now()): string[] {
  const c = parseCron(expression);
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    hourCycle: "h23",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    weekday: "short",
  });
  const dayMatches = (day: number, dow: number) => {
    const dom = c.dom.values.includes(day);
    const wd = c.dow.values.includes(dow);
    if (!c.dom.any && !c.dow.any) return dom || wd;
    return dom && wd;
  };
  const out: string[] = [];
  const HOUR = 3600_000;
  // Hours are the same length in every zone offset used today (whole or half hours): step hour by hour in
  // UTC and read each hour's wall clock, then add the minutes and seconds the expression names.
  let hourStart = Math.floor(from / HOUR) * HOUR;
  const end = from + 2 * 366 * 24 * HOUR;
  const offsetMinutes = (ms: number) => {
    const w = new Intl.DateTimeFormat("en-US", { timeZone: timezone, hourCycle: "h23", minute: "numeric" });
    return Number(w.format(new Date(ms)));
  };
  for (; hourStart < end && out.length < count; hourStart += HOUR) {
    const w = wall(hourStart, fmt);
    if (!c.month.values.includes(w.month) || !dayMatches(w.day, w.dow) || !c.hour.values.includes(w.hour))
      continue;
    // Zones half an hour off UTC: the wall hour starts that many minutes before this UTC hour.
    const shift = offsetMinutes(hourStart) * 60_000;
    for (const m of c.minute.values)
      for (const s of c.second.values) {
        const at = hourStart - shift + m * 60_000 + s * 1000;
        if (at > from && out.length < count) out.push(new Date(at).toISOString());
      }
  }
  return out.sort();
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
