/**
 * What makes two created records "the same" for duplicate detection: normalised title, first ISBN and
 * first non-OCLC 035. A client that retries a create blindly leaves two creations with one fingerprint.
 */
import { matchKey } from "../../marc/match-key.js";
import { type MarcRecord, subfieldValues } from "../../marc/record.js";

export function fingerprint(record: MarcRecord): string {
  const t = record.get("245");
  const title = t ? matchKey(subfieldValues(t, "a", "b").join(" ")) : "";
  const isbn =
    record
      .getFields("020")
      .flatMap((f) => subfieldValues(f, "a"))[0]
      ?.split(" ")[0] ?? "";
  const local =
    record
      .getFields("035")
      .flatMap((f) => subfieldValues(f, "a"))
      .find((v) => !/^\(ocolc\)/i.test(v.trim())) ?? "";
  return `${title}|${isbn}|${local}`;
}
