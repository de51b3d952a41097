/**
 * Local bibliographic data needs 004 (the master record's OCLC number), 935 (a local identifier unique in
 * the institution) and 940 (the institution's symbol). An input record that has only a master number (001
 * or 035 (OCoLC)) and local fields gets them: 004 from the number, 935 from its local id (an 035 that is
 * not OCLC's) or `ocn<number>`, 940 from the account; the master-record control fields are dropped.
 *
 * ```ts
 * withLbdSkeleton(record, "OCPSB") // 004 100000002, 935 $a (MyLib)b1, 940 $a OCPSB, + the local fields
 * ```
 */
import { controlField, dataField, type MarcRecord, oclcNumberOf, subfieldValues } from "../../marc/index.js";
import { localIdOf } from "./find-record.js";

export function withLbdSkeleton(record: MarcRecord, symbol: string | undefined): MarcRecord {
  if (record.controlValue("004") !== undefined) return record;
  const master = oclcNumberOf(record)?.number;
  if (master === undefined) return record; // validation reports the missing 004
  const localId = record.get("935") ? undefined : (localIdOf(record) ?? `ocn${master}`);
  let out = record
    .removeFields("001", "003", "005")
    .replaceFields(
      "035",
      ...record
        .getFields("035")
        .filter((f) => !subfieldValues(f, "a").some((v) => /^\(ocolc\)/i.test(v.trim()))),
    )
    .addOrderedField(controlField("004", master));
  if (localId) out = out.addOrderedField(dataField("935", " ", " ", [["a", localId]]));
  if (!record.get("940") && symbol) out = out.addOrderedField(dataField("940", " ", " ", [["a", symbol]]));
  return out;
}
