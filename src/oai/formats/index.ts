/**
 * The metadata formats the harvester reads, richest first for theses, and which reader each one needs.
 * A repository's formats are matched by prefix, then by namespace (prefixes are the repository's choice).
 */
import type { HarvestedRecord, MetadataFormat } from "../harvester.js";
import type { RepositoryItem } from "../item.js";
import { fromDim } from "./dim.js";
import { fromDublinCore } from "./dublin-core.js";
import { fromMarcXml } from "./marcxml.js";
import { fromMods } from "./mods.js";

type Reader = (record: HarvestedRecord, format: string) => RepositoryItem;

interface Known {
  readonly prefixes: readonly string[];
  readonly namespace: string;
  readonly read: Reader;
}

/** In order of preference: qualified DC, DSpace's dim, MODS, MARCXML, then the mandatory oai_dc. */
const KNOWN: readonly Known[] = [
  { prefixes: ["qdc"], namespace: "http://dspace.org/qualifieddc/", read: fromDublinCore },
  { prefixes: ["dim"], namespace: "http://www.dspace.org/xmlns/dspace/dim", read: fromDim },
  { prefixes: ["mods"], namespace: "http://www.loc.gov/mods/v3", read: fromMods },
  { prefixes: ["marcxml", "marc", "marc21"], namespace: "http://www.loc.gov/MARC21/slim", read: fromMarcXml },
  { prefixes: ["oai_dc"], namespace: "http://www.openarchives.org/OAI/2.0/oai_dc/", read: fromDublinCore },
];

export const PREFERRED_FORMATS: readonly string[] = KNOWN.map((k) => k.prefixes[0]);

function knownOf(format: MetadataFormat | string): Known | undefined {
  const prefix = typeof format === "string" ? format : format.metadataPrefix;
  const byPrefix = KNOWN.find((k) => k.prefixes.includes(prefix));
  if (byPrefix || typeof format === "string") return byPrefix;
  return KNOWN.find((k) => k.namespace === format.metadataNamespace);
}

/** The richest format the repository offers that we read; undefined when it offers none of them. */
export function chooseFormat(offered: readonly MetadataFormat[]): string | undefined {
  for (const k of KNOWN) {
    const hit = offered.find((f) => knownOf(f) === k);
    if (hit) return hit.metadataPrefix;
  }
  return undefined;
}

/** Whether `prefix` is one we read (by prefix, or by the namespace the repository declares for it). */
export function readerFor(prefix: string, offered: readonly MetadataFormat[] = []): Reader | undefined {
  const declared = offered.find((f) => f.metadataPrefix === prefix);
  return (declared ? knownOf(declared) : knownOf(prefix))?.read;
}

/** A harvested record in the intermediate shape; throws for a deleted record (it has no metadata). */
export function toItem(
  record: HarvestedRecord,
  prefix: string,
  offered: readonly MetadataFormat[] = [],
): RepositoryItem {
  const read = readerFor(prefix, offered) ?? fromDublinCore;
  return read(record, prefix);
}
