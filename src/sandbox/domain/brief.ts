/** Brief bibliographic records (the JSON of search and match) built from a MARC record. */
import { type MarcRecord, subfieldValues } from "../../marc/record.js";

export interface BriefRecord {
  oclcNumber: string;
  title: string;
  creator: string;
  date: string;
  machineReadableDate: string;
  language: string;
  generalFormat: string;
  specificFormat: string;
  edition: string;
  publisher: string;
  publicationPlace: string;
  isbns: string[];
  issns: string[];
  mergedOclcNumbers: string[];
  catalogingInfo: {
    catalogingAgency: string;
    catalogingLanguage: string;
    levelOfCataloging: string;
    transcribingAgency: string;
  };
}

/** Strips ISBD punctuation from the end of a value ("Title /" -> "Title"). */
export function clean(s: string): string {
  return s.replace(/[\s/:;,.=]+$/, "").trim();
}

function first(r: MarcRecord, tags: string[], codes: string[]): string {
  for (const f of r.getFields(...tags)) {
    const v = subfieldValues(f, ...codes).join(" ");
    if (v.trim() !== "") return clean(v);
  }
  return "";
}

const FORMATS: Record<string, [string, string]> = {
  a: ["Book", "PrintBook"],
  c: ["MsScore", "PrintScore"],
  e: ["Map", "Map"],
  g: ["Video", "DVD"],
  i: ["AudioBook", "AudioBook"],
  j: ["Music", "CD"],
  m: ["Computer", "Digital"],
  t: ["Book", "Manuscript"],
};

/** The ISBNs in 020 $a, first word of each ("0679450041 (acid-free paper)" -> "0679450041"). */
export function isbnsOf(r: MarcRecord): string[] {
  return r.getFields("020").flatMap((f) => subfieldValues(f, "a").map((v) => v.trim().split(/\s+/)[0]));
}

/**
 * The brief record as the live service sends it: keys without a value are left out (no `"issns": []`), so
 * the set of keys varies record by record.
 */
export function briefRecord(ocn: number, r: MarcRecord, merged: readonly number[]): Partial<BriefRecord> {
  return compact(fullBrief(ocn, r, merged)) as Partial<BriefRecord>;
}

/** Drops empty strings, empty arrays and objects left empty, at any depth. */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const c = compact(v);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (typeof value === "string" && value.trim() === "") return undefined;
  return value;
}

function fullBrief(ocn: number, r: MarcRecord, merged: readonly number[]): BriefRecord {
  const f008 = r.controlValue("008") ?? "";
  const [generalFormat, specificFormat] = FORMATS[r.leader[6]] ?? ["Book", "PrintBook"];
  return {
    oclcNumber: String(ocn),
    title: first(r, ["245"], ["a", "b"]),
    creator: first(r, ["100", "110", "111"], ["a"]) || first(r, ["245"], ["c"]),
    date: first(r, ["264", "260"], ["c"]),
    machineReadableDate: f008.slice(7, 11).trim(),
    language: f008.slice(35, 38).trim(),
    generalFormat,
    specificFormat: r.leader[7] === "s" ? "Serial" : specificFormat,
    edition: first(r, ["250"], ["a"]),
    publisher: first(r, ["264", "260"], ["b"]),
    publicationPlace: first(r, ["264", "260"], ["a"]),
    isbns: isbnsOf(r),
    issns: r.getFields("022").flatMap((f) => subfieldValues(f, "a")),
    mergedOclcNumbers: merged.map(String),
    catalogingInfo: {
      catalogingAgency: first(r, ["040"], ["a"]),
      catalogingLanguage: first(r, ["040"], ["b"]) || "eng",
      levelOfCataloging: r.leader[17] ?? "",
      transcribingAgency: first(r, ["040"], ["c"]),
    },
  };
}
