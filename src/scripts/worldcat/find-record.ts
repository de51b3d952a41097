/**
 * Finding a master record WorldCat may already have: by the record's local identifier (an 035 $a that is
 * not an OCLC number, e.g. `(MyLib)b1234567`), else by title, author and date through match.
 */
import { type MarcRecord, subfieldValues } from "../../marc/index.js";
import { matchKey } from "../../marc/match-key.js";
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
      const title = matchKey(record.title() ?? "");
      const hit = hits.briefRecords.find(
        (b) => title !== "" && matchKey(String(b.title ?? "")).startsWith(title),
      );
      return hit ? String(hit.oclcNumber) : undefined;
    },
  };
}

function byNumber(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
