/**
 * `from` / `until` at the repository's declared granularity (Identify). A day repository gets the day of a
 * full time (inclusive: the day is harvested again, which is harmless); a seconds repository gets a day
 * widened to its first or last second.
 */
import { OaiError } from "./errors.js";

export type Granularity = "YYYY-MM-DD" | "YYYY-MM-DDThh:mm:ssZ";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SECOND = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

export function harvestDate(value: string, granularity: Granularity, which: "from" | "until"): string {
  const v = value.trim();
  const day = DAY.test(v) ? v : SECOND.exec(v)?.[1];
  if (day === undefined || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new OaiError(
      `--${which} must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ (got ${JSON.stringify(value)})`,
      "BAD_DATE",
    );
  }
  if (granularity === "YYYY-MM-DD") return day;
  if (DAY.test(v)) return which === "from" ? `${v}T00:00:00Z` : `${v}T23:59:59Z`;
  return v.replace(/\.\d+Z$/, "Z");
}
