/**
 * The compiled MARC 21 bibliographic rules: loaded once, on first use, from generated/schema.json and turned
 * into lookups that cost one Map get and one array index per check.
 */
import { readFileSync } from "node:fs";
import { type CompactFixed, compileFixed, type FixedFieldRules } from "./fixed-schema.js";

/** Subfield lookup by char code: 0 = not defined, 1 = non-repeatable, 2 = repeatable. */
export const SUBFIELD_UNDEFINED = 0;
export const SUBFIELD_NON_REPEATABLE = 1;
export const SUBFIELD_REPEATABLE = 2;

export interface TagRule {
  readonly repeatable: boolean;
  /** Allowed indicator characters; null = anything goes (undescribed, or given by another field as for 880). */
  readonly ind1: string | null;
  readonly ind2: string | null;
  /** Indexed by subfield char code (0-127); null when any code is allowed. */
  readonly subfields: Uint8Array | null;
}

export interface MarcRules {
  readonly tags: ReadonlyMap<string, TagRule>;
  /** The same rules indexed by tag number (0-999) for numeric tags: an array index instead of a hash. */
  readonly numericTags: readonly (TagRule | undefined)[];
  /** Allowed characters per Leader position (only the coded, one-character positions). */
  readonly leader: ReadonlyMap<number, string>;
  /** Allowed 008/06 type-of-date characters. */
  readonly dateTypes008: string;
  /** The coded positions of 006, 007 and 008/18-34. */
  readonly fixed: FixedFieldRules;
}

interface CompactSchema {
  leader: Record<string, string>;
  dateTypes008: string;
  fixed: CompactFixed;
  tags: Record<
    string,
    {
      repeatable: boolean;
      ind1?: string | null;
      ind2?: string | null;
      anySubfields?: boolean;
      subfieldsNonRepeatable?: string;
      subfieldsRepeatable?: string;
    }
  >;
}

let rules: MarcRules | undefined;

/** The rules, compiled on the first call and shared afterwards. */
export function marcRules(): MarcRules {
  rules ??= compile(JSON.parse(readFileSync(new URL("./generated/schema.json", import.meta.url), "utf8")));
  return rules;
}

function compile(schema: CompactSchema): MarcRules {
  const tags = new Map<string, TagRule>();
  for (const [tag, t] of Object.entries(schema.tags)) {
    let subfields: Uint8Array | null = null;
    // Control tags have no subfield list: null, like "any", since their values are not split into subfields.
    if (!t.anySubfields && (t.subfieldsNonRepeatable !== undefined || t.subfieldsRepeatable !== undefined)) {
      subfields = new Uint8Array(128);
      for (const c of t.subfieldsNonRepeatable ?? "") subfields[c.charCodeAt(0)] = SUBFIELD_NON_REPEATABLE;
      for (const c of t.subfieldsRepeatable ?? "") subfields[c.charCodeAt(0)] = SUBFIELD_REPEATABLE;
    }
    tags.set(
      tag,
      Object.freeze({ repeatable: t.repeatable, ind1: t.ind1 ?? null, ind2: t.ind2 ?? null, subfields }),
    );
  }
  const leader = new Map<number, string>();
  for (const [pos, codes] of Object.entries(schema.leader)) leader.set(Number(pos), codes);
  const numericTags: (TagRule | undefined)[] = new Array(1000).fill(undefined);
  for (const [tag, rule] of tags) if (/^[0-9]{3}$/.test(tag)) numericTags[Number(tag)] = rule;
  return Object.freeze({
    tags,
    numericTags: Object.freeze(numericTags),
    leader,
    dateTypes008: schema.dateTypes008,
    fixed: compileFixed(schema.fixed),
  });
}
