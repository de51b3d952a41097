/**
 * Derives the compact validation schema (src/marc/validate/generated/schema.json) from the MARC 21
 * bibliographic schema in JSON (Apache-2.0, Copyright 2023 Timothy A. Thompson).
 *
 *   npx tsx scripts/generate-marc-schema.ts [input.json] [output.json]
 *
 * Per tag it keeps only what validation needs: field repeatability, the allowed indicator values (a string of
 * characters; null when the schema lists none, meaning "anything"), and subfield codes split by repeatability.
 * It also keeps the coded Leader positions and the 008/06 type-of-date codes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

interface SourceIndicator {
  codes: Record<string, string>;
}
interface SourceField {
  repeatable: boolean;
  indicator1?: SourceIndicator;
  indicator2?: SourceIndicator;
  subfields?: Record<string, { repeatable: boolean }>;
  positions?: Record<string, { start: number; end: number; codes: Record<string, string> }>;
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
  tags: Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(output, `${JSON.stringify(compact, null, 1)}\n`);
console.log(`wrote ${Object.keys(tags).length} tags to ${output}`);
