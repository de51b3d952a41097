/**
 * Finding a master record WorldCat may already have: by the record's local identifier (an 035 $a that is
 * not an OCLC number, e.g. `(MyLib)b1234567`), by match, by its ISBNs/ISSNs, and by title, author and date.
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

/** A record found in WorldCat, and how. */
export interface Sighting {
  readonly ocn: string;
  /** `035 (MyLib)b1`, `match (title/author/date)`, `ISBN 9780441013593`, `search ti:dune AND au:herbert`. */
  readonly by: string;
}

/** What a look found, and every way it looked with what each gave (for a dry run's message). */
export interface Look {
  readonly found?: Sighting;
  readonly looked: readonly string[];
}

/**
 * Every way of finding the record before a create, in order, stopping at the first that finds it: its local
 * identifier (035), the match endpoint (its answer taken only when title, author and date agree), its ISBNs
 * and ISSNs (a hit taken only when title, author and date agree), and a search by title and author (the
 * same check). A record found any of these ways is not created again.
 */
export async function lookInWorldCat(
  wc: WorldCatClient,
  record: MarcRecord,
  signal?: AbortSignal,
): Promise<Look> {
  const looked: string[] = [];
  const localId = localIdOf(record);
  if (localId) {
    const hits = await wc.search.briefBibs({ q: `id:${localId}`, limit: 10 }, signal);
    const numbers = hits.briefRecords.map((b) => String(b.oclcNumber)).sort(byNumber);
    looked.push(`035 ${localId}: ${numbers.length ? numbers.join(", ") : "nothing"}`);
    if (numbers[0]) return { found: { ocn: numbers[0], by: `035 ${localId}` }, looked };
  }
  const matched = await wc.bibs.match(record, signal);
  const hit = matched.briefRecords.find((b) => isSameWork(record, b));
  looked.push(`match: ${hitsSaid(matched.briefRecords, hit ? [hit] : [])}`);
  if (hit) return { found: { ocn: String(hit.oclcNumber), by: "match (same title/author/date)" }, looked };
  const queries: [string, string][] = [
    ...standardNumbersOf(record).map(([label, q]): [string, string] => [label, q]),
  ];
  const q = searchQuery(record);
  if (q) queries.push([`search ${q}`, q]);
  for (const [label, query] of queries) {
    const found = await wc.search.briefBibs({ q: query, limit: 50 }, signal);
    const same = found.briefRecords.filter((b) => isSameWork(record, b));
    looked.push(`${label}: ${hitsSaid(found.briefRecords, same)}`);
    const numbers = same.map((b) => String(b.oclcNumber)).sort(byNumber);
    if (numbers[0]) return { found: { ocn: numbers[0], by: label }, looked };
  }
  return { looked };
}

/** `nothing`, `1500000003 (not the same title/author/date)`, `3 records, 2 the same title/author/date`. */
function hitsSaid(all: readonly BriefBib[], same: readonly BriefBib[]): string {
  if (all.length === 0) return "nothing";
  if (same.length > 0) return same.map((b) => String(b.oclcNumber)).join(", ");
  const shown = all.slice(0, 3).map((b) => String(b.oclcNumber));
  return `${shown.join(", ")}${all.length > 3 ? ", ..." : ""} (not the same title/author/date)`;
}

/** `[["ISBN 9780441013593", "bn:9780441013593"], ["ISSN 1234-5678", "in:12345678"]]`: from 020 and 022 $a. */
function standardNumbersOf(record: MarcRecord): [string, string][] {
  const first = (v: string) => v.trim().split(/\s+/)[0] ?? "";
  const isbns = record
    .getFields("020")
    .flatMap((f) => subfieldValues(f, "a"))
    .map(first)
    .filter((v) => /^[0-9][0-9-]{8,16}[0-9Xx]$/.test(v));
  const issns = record
    .getFields("022")
    .flatMap((f) => subfieldValues(f, "a"))
    .map(first)
    .filter((v) => /^[0-9]{4}-?[0-9]{3}[0-9Xx]$/.test(v));
  return [
    ...[...new Set(isbns)].map((v): [string, string] => [`ISBN ${v}`, `bn:${v.replace(/-/g, "")}`]),
    ...[...new Set(issns)].map((v): [string, string] => [`ISSN ${v}`, `in:${v.replace(/-/g, "")}`]),
  ];
}

export function recordFinder(wc: WorldCatClient, record: MarcRecord): Finder {
  const localId = localIdOf(record);
  return {
    how: localId
      ? `035 ${localId}, match, standard numbers, title/author/date`
      : "match, standard numbers, title/author/date",
    async find(signal) {
      return (await lookInWorldCat(wc, record, signal)).found?.ocn;
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
