/**
 * Derives the compact validation schema (src/marc/validate/generated/schema.json) from the MARC 21
 * bibliographic schema in JSON (Apache-2.0, Copyright 2023 Timothy A. Thompson).
 *
 *   npx tsx scripts/generate-marc-schema.ts [input.json] [output.json]
 *
 * Per tag it keeps only what validation needs: field repeatability, the allowed indicator values (a string of
 * characters; null when the schema lists none, meaning "anything"), and subfield codes split by repeatability.
 * It also keeps the coded Leader positions and the 008/06 type-of-date codes, and under `fixed` the coded
 * positions of 006, of each 007 category and of 008/18-34 for each material type (see fixedFields below).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CompactFixed, CompactPosition } from "../src/marc/validate/fixed-schema.js";

interface SourceIndicator {
  codes: Record<string, string>;
}
interface SourceField {
  repeatable: boolean;
  indicator1?: SourceIndicator;
  indicator2?: SourceIndicator;
  subfields?: Record<string, { repeatable: boolean }>;
  label: string;
  positions?: Record<string, SourcePosition>;
}
interface SourcePosition {
  start: number;
  end: number;
  label: string;
  codes: Record<string, string>;
}

export interface CompactTag {
  repeatable: boolean;
  ind1?: string | null;
  ind2?: string | null;
  /** Set when the schema lists subfield ranges ("a-z"): any code is allowed (880, 886). */
  anySubfields?: boolean;
  subfieldsNonRepeatable?: string;
  subfieldsRepeatable?: string;
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const input = process.argv[2] ?? join(import.meta.dirname, "sources", "marc21-bibliographic-schema.json");
const output = process.argv[3] ?? join(root, "src/marc/validate/generated/schema.json");

/** "0-9" -> "0123456789"; single characters stay as they are. */
function expand(code: string): string {
  const m = /^(.)-(.)$/.exec(code);
  if (!m) return code;
  let out = "";
  for (let c = m[1].charCodeAt(0); c <= m[2].charCodeAt(0); c++) out += String.fromCharCode(c);
  return out;
}

function indicator(ind: SourceIndicator | undefined): string | null {
  const codes = Object.keys(ind?.codes ?? {});
  return codes.length === 0 ? null : codes.map(expand).join("");
}

function compactTag(field: SourceField): CompactTag {
  if (!field.subfields) return { repeatable: field.repeatable };
  const codes = Object.entries(field.subfields);
  const sorted = (rep: boolean) =>
    codes
      .filter(([c, s]) => c.length === 1 && s.repeatable === rep)
      .map(([c]) => c)
      .sort()
      .join("");
  return {
    repeatable: field.repeatable,
    ind1: indicator(field.indicator1),
    ind2: indicator(field.indicator2),
    ...(codes.some(([c]) => c.length > 1) ? { anySubfields: true } : {}),
    subfieldsNonRepeatable: sorted(false),
    subfieldsRepeatable: sorted(true),
  };
}

/** 006/00 (form of material) and Leader/06 (type of record) -> the 008 material key they select. */
const MATERIALS: Record<string, string> = {
  a: "b",
  t: "b",
  m: "c",
  e: "p",
  f: "p",
  c: "m",
  d: "m",
  i: "m",
  j: "m",
  g: "v",
  k: "v",
  o: "v",
  r: "v",
  p: "x",
  s: "s",
};

/**
 * 007 categories whose trailing positions real records often leave out, so a shorter 007 is no error:
 * 007/06-13 of electronic resources (added to MARC 21 after 00-05; many records stop at 007/05) and 007/09-22
 * of motion pictures (archival film only). Every other 007 needs all its positions.
 */
const MIN_007_LENGTH: Record<string, number> = { c: 6, m: 9 };

/**
 * The coded position from the source, or undefined when its codes cannot be checked by machine (none given,
 * or patterns such as "[aaa]" mixed in). "#" is LoC's blank; "Undefined" positions also take the fill
 * character "|", as MARC 21 says of every undefined position.
 */
function compactPosition(p: SourcePosition): CompactPosition | undefined {
  const width = p.end - p.start + 1;
  const label = p.label.replace(/\s*\(006\/[0-9-]+\)$/, "").toLowerCase();
  const codes = Object.keys(p.codes).map((c) => c.replaceAll("#", " "));
  if (codes.length === 0) return undefined;
  if (label === "undefined" && !codes.includes("|")) codes.push("|".repeat(width));
  const at = `${p.start}-${p.end}`;
  // Per character: single characters, ranges of them ("1-9") and one character repeated ("||||", "  ").
  const single = (c: string) =>
    c.length === 1 || /^(.)-(.)$/.test(c) || (c.length === width && /^(.)\1*$/.test(c));
  if (codes.every(single)) {
    const chars = new Set(codes.flatMap((c) => [...(c.length === 3 && c[1] === "-" ? expand(c) : c[0])]));
    return { at, label, chars: [...chars].sort().join("") };
  }
  // Whole values of the position's width, and numeric ranges ("001-999").
  const values: string[] = [];
  let range: string | undefined;
  for (const c of codes) {
    const m = /^([0-9]+)-([0-9]+)$/.exec(c);
    if (m && m[1].length === width && m[2].length === width) range = `${Number(m[1])}-${Number(m[2])}`;
    else if (c.length === width && !c.includes("[")) values.push(c);
    else return undefined;
  }
  return { at, label, values: values.sort().join(","), ...(range ? { range } : {}) };
}

function fixedFields(fields: Record<string, SourceField>): CompactFixed {
  const m008: CompactFixed["008"] = {};
  const m007: CompactFixed["007"] = {};
  for (const [key, field] of Object.entries(fields)) {
    const kind = key.slice(3);
    const positions = Object.values(field.positions ?? {});
    if (key.startsWith("008") && kind !== "a") {
      m008[kind] = { label: field.label, positions: compactPositions(positions) };
    } else if (key.startsWith("007")) {
      const length = Math.max(...positions.map((p) => p.end + 1));
      m007[kind] = {
        label: field.label,
        minLength: MIN_007_LENGTH[kind] ?? length,
        positions: compactPositions(positions.filter((p) => p.start > 0)),
      };
    }
  }
  return { materials: MATERIALS, continuingLevels: "bis", "008": m008, "007": m007 };
}

function compactPositions(positions: SourcePosition[]): CompactPosition[] {
  return positions.flatMap((p) => compactPosition(p) ?? []);
}

const source = JSON.parse(readFileSync(input, "utf8")) as {
  url: string;
  fields: Record<string, SourceField>;
};
const tags: Record<string, CompactTag> = {};
for (const [key, field] of Object.entries(source.fields)) {
  if (key === "LDR") continue;
  // 007a..007z and 008a..008x describe one tag each, by material.
  const tag = key.slice(0, 3);
  tags[tag] ??= compactTag(field);
}
const leader: Record<string, string> = {};
for (const p of Object.values(source.fields.LDR.positions ?? {})) {
  if (p.start === p.end && Object.keys(p.codes).length > 0) leader[p.start] = Object.keys(p.codes).join("");
}
const dateTypes = Object.keys(source.fields["008a"].positions?.["6-6"].codes ?? {}).join("");

const compact = {
  about:
    "Derived by scripts/generate-marc-schema.ts from the MARC 21 bibliographic schema in JSON " +
    "(Copyright 2023 Timothy A. Thompson, Apache License 2.0). Do not edit by hand.",
  source: source.url,
  leader,
  dateTypes008: dateTypes,
  fixed: fixedFields(source.fields),
  tags: Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(output, `${JSON.stringify(compact, null, 1)}\n`);
console.log(`wrote ${Object.keys(tags).length} tags to ${output}`);
