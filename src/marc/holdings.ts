/**
 * MARC 21 holdings records (MFHD) as WorldCat keeps them for local holdings records (LHR): Leader/06 x, y,
 * v or u; 004 the OCLC number of the bibliographic record; 852 location and call number; 856 links;
 * 863-868 enumeration and textual holdings; 876-878 items (barcodes); 583 actions (shared-print retention).
 *
 * ```ts
 * const lhr = buildHoldingsRecord({ oclcNumber: "123", holdingLocation: "MAIN", callNumber: "QA76 .K5", barcode: "3900" });
 * readHoldings(lhr).barcodes // ["3900"]
 * ```
 */
import { parseOclcNumber } from "./oclc-number.js";
import {
  controlField,
  createRecord,
  dataField,
  type MarcRecord,
  subfield,
  subfieldValues,
} from "./record.js";

/** Leader/06 of a holdings record: single-part item (x), multipart (v), serial (y), unknown (u). */
export const HOLDINGS_TYPES = ["x", "y", "v", "u"] as const;

/** A shared-print retention commitment (583 with "committed to retain"). */
export interface RetentionCommitment {
  readonly action: string;
  /** 583 $c, e.g. 20200101. */
  readonly dateOfAction?: string;
  /** 583 $d, e.g. 20351231. */
  readonly commitmentExpirationDate?: string;
  /** 583 $f, the program (e.g. EAST). */
  readonly program?: string;
  /** 583 $5, the institution committing. */
  readonly institutionSymbol?: string;
  readonly note?: string;
}

/** What a holdings record says, in plain words. */
export interface HoldingsSummary {
  readonly oclcNumber?: string;
  /** 852 $a. */
  readonly institutionSymbol?: string;
  /** 852 $b: holding location (branch). */
  readonly holdingLocation?: string;
  /** 852 $c: shelving location. */
  readonly shelvingLocation?: string;
  /** 852 $h $i (with $k prefix and $m suffix). */
  readonly callNumber?: string;
  /** 876-878 $p. */
  readonly barcodes: readonly string[];
  /** 866-868 $a. */
  readonly textualHoldings: readonly string[];
  readonly commitments: readonly RetentionCommitment[];
}

export function isHoldingsRecord(record: MarcRecord): boolean {
  return (HOLDINGS_TYPES as readonly string[]).includes(record.leader[6]);
}

const COMMITTED = /committed to retain/i;

export function readHoldings(record: MarcRecord): HoldingsSummary {
  const f852 = record.get("852");
  const call = f852
    ? [...subfieldValues(f852, "k"), ...subfieldValues(f852, "h", "i"), ...subfieldValues(f852, "m")]
        .map((s) => s.trim())
        .filter((s) => s !== "")
        .join(" ")
    : "";
  const commitments = record
    .getFields("583")
    .filter((f) => COMMITTED.test(subfieldValues(f, "a").join(" ")))
    .map((f) => ({
      action: subfieldValues(f, "a").join(" ").trim(),
      dateOfAction: subfield(f, "c"),
      commitmentExpirationDate: subfield(f, "d"),
      program: subfield(f, "f"),
      institutionSymbol: subfield(f, "5"),
      note: subfield(f, "z"),
    }));
  return {
    oclcNumber: parseOclcNumber(record.controlValue("004") ?? ""),
    institutionSymbol: f852 ? subfield(f852, "a") : undefined,
    holdingLocation: f852 ? subfield(f852, "b") : undefined,
    shelvingLocation: f852 ? subfield(f852, "c") : undefined,
    callNumber: call === "" ? undefined : call,
    barcodes: record.getFields("876", "877", "878").flatMap((f) => subfieldValues(f, "p")),
    textualHoldings: record.getFields("866", "867", "868").flatMap((f) => subfieldValues(f, "a")),
    commitments,
  };
}

/** One row of an LHR input CSV (see the worldcat-lhr script). */
export interface HoldingsInput {
  readonly oclcNumber: string;
  readonly holdingLocation: string;
  readonly shelvingLocation?: string;
  readonly callNumber?: string;
  readonly barcode?: string;
  /** A shared-print commitment: `retain until YYYYMMDD` (optionally `, program NAME`) or just a date. */
  readonly sharedPrint?: string;
  readonly institutionSymbol?: string;
}

/** Parses the shared-print column: "20351231", "until 20351231", "20351231 EAST", "until 20351231 program EAST". */
export function parseSharedPrint(text: string): { until: string; program?: string } | undefined {
  const m = /(\d{8})(?:\s*[,;]?\s*(?:program\s+)?([A-Za-z][\w-]*))?/.exec(text.trim());
  if (!m) return undefined;
  return { until: m[1], program: m[2] };
}

/** Builds a single-part item holdings record (Leader/06 x) for one copy. */
export function buildHoldingsRecord(input: HoldingsInput, today = new Date()): MarcRecord {
  const ocn = parseOclcNumber(input.oclcNumber);
  if (!ocn) throw new Error(`not an OCLC number: ${JSON.stringify(input.oclcNumber)}`);
  const yymmdd = today.toISOString().slice(2, 10).replace(/-/g, "");
  // 008 of a holdings record: 32 positions (date entered, receipt status, acquisition method, ...).
  const f008 = `${yymmdd}0u    8   4001uu   0000000`.padEnd(32, " ").slice(0, 32);
  const s852: [string, string][] = [];
  if (input.institutionSymbol) s852.push(["a", input.institutionSymbol]);
  s852.push(["b", input.holdingLocation]);
  if (input.shelvingLocation) s852.push(["c", input.shelvingLocation]);
  if (input.callNumber) s852.push(["h", input.callNumber]);
  let r = createRecord({ leader: "00000nx  a2200000zi 4500" })
    .addField(controlField("004", ocn))
    .addField(controlField("008", f008))
    .addField(dataField("852", "8", " ", s852));
  if (input.sharedPrint?.trim()) {
    const sp = parseSharedPrint(input.sharedPrint);
    if (!sp)
      throw new Error(`shared-print commitment ${JSON.stringify(input.sharedPrint)}: no date YYYYMMDD`);
    const s583: [string, string][] = [
      ["a", "committed to retain"],
      ["c", today.toISOString().slice(0, 10).replace(/-/g, "")],
      ["d", sp.until],
    ];
    if (sp.program) s583.push(["f", sp.program]);
    if (input.institutionSymbol) s583.push(["5", input.institutionSymbol]);
    r = r.addField(dataField("583", "1", " ", s583));
  }
  if (input.barcode) r = r.addField(dataField("876", " ", " ", [["p", input.barcode]]));
  return r;
}
