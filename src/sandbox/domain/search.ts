/**
 * Brief-bibs search and match, good enough to find a record by title, author, ISBN, OCLC number or a local
 * identifier in 035. Query: terms joined by AND (upper case, as in WorldCat's Lucene-style syntax: a lower-case
 * "and" is a word of the term) or by nothing between `index:` terms, each `index:value` (ti, au, bn, in, no,
 * id, kw) or bare keywords. Corpus and created records are scanned; synthetic ones are found by number, ISBN or exact title.
 */

import { matchKey } from "../../marc/match-key.js";
import { oclcNumberOf, parseOclcNumber } from "../../marc/oclc-number.js";
import { type MarcRecord, subfieldValues } from "../../marc/record.js";
import { BadRequestError } from "../errors.js";
import { SYNTHETIC_BASE, syntheticIndexFromIsbn } from "../seed/synthetic.js";
import type { SandboxState } from "../state.js";
import { isbnsOf } from "./brief.js";

export type SearchIndex = "ti" | "au" | "bn" | "in" | "no" | "id" | "kw" | "nl";
export interface Term {
  readonly index: SearchIndex;
  readonly value: string;
}

const INDEXES = new Set<string>(["ti", "au", "bn", "in", "no", "id", "kw", "nl"]);

export function parseQuery(q: string | null): Term[] {
  if (!q || q.trim() === "") throw new BadRequestError("Required parameter 'q' is missing");
  const parts = q
    .split(/\s+AND\s+/)
    .flatMap((part) => part.split(/\s+(?=(?:ti|au|bn|in|no|id|kw|nl)\s*[:=])/i));
  return parts.map((part) => {
    const m = /^\s*([a-zA-Z0-9]+)\s*[:=]\s*(.*)$/.exec(part);
    const value = (m ? m[2] : part).trim().replace(/^"(.*)"$/, "$1");
    const index = m ? m[1].toLowerCase() : "kw";
    if (!INDEXES.has(index)) throw new BadRequestError(`Unsupported index '${m?.[1]}' in q`);
    if (value === "") throw new BadRequestError(`Empty search term in q: '${part.trim()}'`);
    return { index: index as SearchIndex, value };
  });
}

interface Doc {
  title: string;
  authors: string;
  isbns: Set<string>;
  issns: Set<string>;
  /** LCCNs (010 $a), spaces dropped. */
  lccns: Set<string>;
  ids: Set<string>;
  all: string;
}

const docs = new WeakMap<MarcRecord, Doc>();

function isbn10to13(s: string): string | undefined {
  if (!/^\d{9}[\dX]$/.test(s)) return undefined;
  const body = `978${s.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

export function normaliseIsbn(s: string): string {
  const digits = s.toUpperCase().replace(/[^0-9X]/g, "");
  return isbn10to13(digits) ?? digits;
}

function docOf(r: MarcRecord): Doc {
  let d = docs.get(r);
  if (d) return d;
  const text = (tags: string[], codes: string[] = []) =>
    matchKey(
      r
        .getFields(...tags)
        .flatMap((f) => subfieldValues(f, ...codes))
        .join(" "),
    );
  const ids = new Set<string>();
  for (const v of r.getFields("035").flatMap((f) => subfieldValues(f, "a"))) {
    ids.add(v.trim().toLowerCase());
    ids.add(
      v
        .replace(/^\([^)]*\)\s*/, "")
        .trim()
        .toLowerCase(),
    );
  }
  d = {
    title: text(["245", "246", "130", "240"], ["a", "b", "n", "p"]),
    authors: text(["100", "110", "111", "700", "710", "711"], ["a", "b", "c", "q"]),
    isbns: new Set(isbnsOf(r).map(normaliseIsbn)),
    issns: new Set(
      r.getFields("022").flatMap((f) => subfieldValues(f, "a").map((v) => v.replace(/\W/g, ""))),
    ),
    lccns: new Set(
      r.getFields("010").flatMap((f) => subfieldValues(f, "a").map((v) => v.replace(/\s/g, ""))),
    ),
    ids,
    all: matchKey(r.fields.flatMap((f) => (f.kind === "data" ? subfieldValues(f) : [])).join(" ")),
  };
  docs.set(r, d);
  return d;
}

/**
 * Every word of `needle` is a whole word of `haystack` (as WorldCat's indexes match: "tester4" is not
 * "tester40"); a word ending in `*` is truncated, matching every word it starts (`prejud*`).
 */
function words(haystack: string, needle: string): boolean {
  const hay = ` ${haystack} `;
  return needle.split(/\s+/).every((raw) => {
    const key = matchKey(raw);
    return key === "" || hay.includes(raw.endsWith("*") ? ` ${key}` : ` ${key} `);
  });
}

function matches(state: SandboxState, ocn: number, r: MarcRecord, t: Term): boolean {
  const d = docOf(r);
  switch (t.index) {
    case "ti":
      return words(d.title, t.value);
    case "au":
      return words(d.authors, t.value);
    case "bn":
      return d.isbns.has(normaliseIsbn(t.value));
    case "in":
      return d.issns.has(t.value.replace(/\W/g, ""));
    case "nl":
      return d.lccns.has(t.value.replace(/\s/g, ""));
    case "no": {
      const n = parseOclcNumber(t.value);
      return n !== undefined && state.bibs.current(Number(n)) === ocn;
    }
    case "id":
      return d.ids.has(t.value.trim().toLowerCase());
    case "kw":
      return words(d.all, t.value) || d.ids.has(t.value.trim().toLowerCase());
  }
}

/** Synthetic records a term points at directly (they are never scanned). */
function syntheticHints(state: SandboxState, terms: Term[]): number[] {
  const out: number[] = [];
  for (const t of terms) {
    if (t.index === "no") {
      const n = parseOclcNumber(t.value);
      if (n !== undefined) out.push(Number(n));
    } else if (t.index === "bn") {
      const k = syntheticIndexFromIsbn(normaliseIsbn(t.value));
      if (k !== undefined) out.push(SYNTHETIC_BASE + k);
    } else if (t.index === "ti" || t.index === "kw") {
      const m = /^synthetic record (\d+)$/.exec(matchKey(t.value));
      if (m) out.push(SYNTHETIC_BASE + Number(m[1]));
    }
  }
  return out.filter((n) => !state.bibs.records.has(n));
}

/** Numbers of every record matching all terms, ascending. */
export function search(state: SandboxState, terms: Term[]): number[] {
  const hits = new Set<number>();
  for (const [ocn, r] of state.bibs.records) if (terms.every((t) => matches(state, ocn, r, t))) hits.add(ocn);
  for (const n of syntheticHints(state, terms)) {
    const found = state.bibs.get(n);
    if (
      found &&
      !state.bibs.records.has(found.ocn) &&
      terms.every((t) => matches(state, found.ocn, found.record, t))
    )
      hits.add(found.ocn);
  }
  return [...hits].sort((a, b) => a - b);
}

/** The best match for a record: its OCLC number, else an ISBN, else a local 035 id, else title and author. */
export function matchRecord(state: SandboxState, record: MarcRecord): number | undefined {
  const own = oclcNumberOf(record);
  if (own) {
    const cur = state.bibs.current(Number(own.number));
    if (cur !== undefined) return cur;
  }
  for (const isbn of isbnsOf(record)) {
    const hit = search(state, [{ index: "bn", value: isbn }])[0];
    if (hit !== undefined) return hit;
  }
  for (const v of record.getFields("035").flatMap((f) => subfieldValues(f, "a"))) {
    if (/^\(ocolc\)/i.test(v)) continue;
    const hit = search(state, [{ index: "id", value: v }])[0];
    if (hit !== undefined) return hit;
  }
  const t = record.get("245");
  const title = t ? subfieldValues(t, "a", "b").join(" ") : "";
  if (matchKey(title) === "") return undefined;
  const terms: Term[] = [{ index: "ti", value: title }];
  const a = record.get("100") ?? record.get("110");
  if (a) terms.push({ index: "au", value: subfieldValues(a, "a").join(" ") });
  return search(state, terms)[0];
}
