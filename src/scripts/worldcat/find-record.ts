/**
 * Finding a master record WorldCat may already have: by the record's local identifier (an 035 $a that is
 * not an OCLC number, e.g. `(MyLib)b1234567`), else by title, author and date through match.
 *
 * Match is fuzzy (it answers its best candidate, which may be another record), so its answer is taken only
 * when title, author and date agree word for word: "... number 1" is not "... number 10", and taking it
 * would report another record's number for a record never created (lost). When match answers another
 * record, a search by title and author looks further: not finding a record that exists creates it twice.
 */
import { type MarcRecord, subfieldValues } from "../../marc/index.js";
import { matchKey } from "../../marc/match-key.js";
import type { BriefBib } from "../../worldcat/api/search.js";
import type { WorldCatClient } from "../../worldcat/client.js";

/** The record's first local identifier in 035 $a (not `(OCoLC)`). */
export function localIdOf(record: MarcRecord): string | undefined {
  return record
    .getFields("035")
    .flatMap((f) => subfieldValues(f, "a"))
    .map((v) => v.trim())
    .find((v) => v !== "" && !/^\(ocolc\)/i.test(v) && !/\s/.test(v));
}

export interface Finder {
  readonly how: string;
  find(signal?: AbortSignal): Promise<string | undefined>;
}

export function recordFinder(wc: WorldCatClient, record: MarcRecord): Finder {
  const localId = localIdOf(record);
  if (localId) {
    return {
      how: `035 ${localId}`,
      async find(signal) {
        const hits = await wc.search.briefBibs({ q: `id:${localId}`, limit: 10 }, signal);
        const numbers = hits.briefRecords.map((b) => String(b.oclcNumber)).sort(byNumber);
        return numbers[0];
      },
    };
  }
  return {
    how: "title/author/date",
    async find(signal) {
      const hits = await wc.bibs.match(record, signal);
      const hit = hits.briefRecords.find((b) => isSameWork(record, b));
      if (hit) return String(hit.oclcNumber);
      // Match answers its best candidate, which may be another record: search by title and author too.
      const q = searchQuery(record);
      if (!q) return undefined;
      const found = await wc.search.briefBibs({ q, limit: 50 }, signal);
      const numbers = found.briefRecords
        .filter((b) => isSameWork(record, b))
        .map((b) => String(b.oclcNumber))
        .sort(byNumber);
      return numbers[0];
    },
  };
}

/**
 * The brief record has the record's title (whole words: its title may go on with more of 245), and its
 * author and date when both sides have one.
 */
export function isSameWork(record: MarcRecord, brief: BriefBib): boolean {
  const title = matchKey(record.title() ?? "");
  const theirs = matchKey(String(brief.title ?? ""));
  if (title === "" || !(theirs === title || theirs.startsWith(`${title} `))) return false;
  return agree(authorOf(record), brief.creator) && agree(yearOf(dateOf(record)), yearOf(brief.date));
}

/**
 * `ti:<title words> AND au:<author words>`, loose on purpose (its hits are checked with `isSameWork`); the
 * word "and" is left out of the terms, where it would read as the operator.
 */
function searchQuery(record: MarcRecord): string | undefined {
  const words = (s: string) =>
    matchKey(s)
      .split(" ")
      .filter((w) => w !== "" && w !== "and")
      .join(" ");
  const title = words(record.title() ?? "");
  if (title === "") return undefined;
  const author = words(authorOf(record));
  return author === "" ? `ti:${title}` : `ti:${title} AND au:${author}`;
}

function agree(mine: string, theirs: unknown): boolean {
  const a = matchKey(mine);
  const b = matchKey(typeof theirs === "string" ? theirs : "");
  return a === "" || b === "" || a === b;
}

/** The first year in a date ("[2024], ©2023" -> "2024"): catalogues write the rest of it their own ways. */
function yearOf(date: unknown): string {
  return (typeof date === "string" ? /\d{4}/.exec(date)?.[0] : undefined) ?? "";
}

function authorOf(record: MarcRecord): string {
  const f = record.get("100") ?? record.get("110") ?? record.get("111");
  return f ? subfieldValues(f, "a").join(" ") : "";
}

function dateOf(record: MarcRecord): string {
  const f = record.get("264") ?? record.get("260");
  return f ? subfieldValues(f, "c").join(" ") : "";
}

function byNumber(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
