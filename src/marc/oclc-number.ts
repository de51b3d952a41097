/**
 * OCLC numbers: parse every form found in the wild, normalise to bare digits, format, and find them in records.
 *
 * ```ts
 * parseOclcNumber("(OCoLC)ocm00012345") // "12345"
 * formatOclcNumber("12345", "ocm")      // "ocm00012345"
 * oclcNumberOf(record)                  // { number: "12345", source: "001" }
 * ```
 */
import { NightshiftError } from "../errors.js";
import type { MarcRecord } from "./record.js";

export type OclcNumberStyle = "bare" | "prefixed" | "ocm";
export type OclcNumberSource = "001" | "035$a" | "035$z";

export interface FoundOclcNumber {
  readonly number: string;
  readonly source: OclcNumberSource;
}

export class InvalidOclcNumberError extends NightshiftError {
  constructor(readonly text: string) {
    super(`not an OCLC number: ${JSON.stringify(text)}`, "INVALID_OCLC_NUMBER");
  }
}

// Optional "(OCoLC)" (any case, optional space after it), optional ocm/ocn/on prefix, then digits.
const OCLC_FORM = /^(?:\(ocolc\)\s*)?(?:ocm|ocn|on)?0*([1-9][0-9]*)$/i;
// The same without the "(OCoLC)" part and with the prefix required: what 001 holds when 003 says nothing.
const PREFIXED_001 = /^(?:ocm|ocn|on)0*([1-9][0-9]*)$/i;
const ORG_PREFIX = /^\(ocolc\)/i;
// ocm/ocn/on are OCLC's own prefixes: such a value in 035 is an OCLC number even without "(OCoLC)".
const OCLC_PREFIX = /^(?:ocm|ocn|on)[0-9]/i;

/**
 * Normalises any OCLC number form to its digits without leading zeros; undefined when `text` is not one.
 * `parseOclcNumber(" ocn123456789 ")` is `"123456789"`; `parseOclcNumber("(DLC)123")` is undefined.
 */
export function parseOclcNumber(text: string): string | undefined {
  return OCLC_FORM.exec(text.trim())?.[1];
}

/**
 * Writes an OCLC number (any form `parseOclcNumber` accepts) in a style: `bare` digits, `prefixed`
 * `(OCoLC)n`, or OCLC's historical 001 style (`ocm` + 8 zero-padded digits, `ocn` + 9, `on` + 10 or more).
 * Throws InvalidOclcNumberError when `n` is not an OCLC number.
 */
export function formatOclcNumber(n: string, style: OclcNumberStyle): string {
  const digits = parseOclcNumber(n);
  if (digits === undefined) throw new InvalidOclcNumberError(n);
  if (style === "bare") return digits;
  if (style === "prefixed") return `(OCoLC)${digits}`;
  if (digits.length <= 8) return `ocm${digits.padStart(8, "0")}`;
  if (digits.length === 9) return `ocn${digits}`;
  return `on${digits}`;
}

/**
 * The record's current OCLC number and where it came from, best source first: 001 (when 003 is OCoLC, any
 * form; when 003 is absent, only the ocm/ocn/on forms, since bare digits there are usually a local system
 * number), then 035 $a "(OCoLC)..." (or ocm/ocn/on). Never 035 $z: that is a cancelled or invalid number, not
 * the record's own (`allOclcNumbers` lists those too).
 */
export function oclcNumberOf(record: MarcRecord): FoundOclcNumber | undefined {
  let fromA: FoundOclcNumber | undefined;
  for (const found of allOclcNumbers(record)) {
    if (found.source === "001") return found;
    if (found.source === "035$a") fromA ??= found;
  }
  return fromA;
}

/** Every OCLC number in 001 and 035 $a/$z, in record order, each (number, source) pair once. */
export function allOclcNumbers(record: MarcRecord): FoundOclcNumber[] {
  const out: FoundOclcNumber[] = [];
  const seen = new Set<string>();
  const add = (number: string | undefined, source: OclcNumberSource) => {
    if (number === undefined || seen.has(`${source} ${number}`)) return;
    seen.add(`${source} ${number}`);
    out.push({ number, source });
  };
  let org: string | undefined;
  let control: string | undefined;
  for (const f of record.fields) {
    if (f.kind === "control" && f.tag === "003" && org === undefined) org = f.value.trim();
    if (f.kind === "control" && f.tag === "001" && control === undefined) control = f.value;
  }
  if (control !== undefined) add(numberIn001(control, org), "001");
  for (const f of record.fields) {
    if (f.tag !== "035" || f.kind !== "data") continue;
    for (const s of f.subfields) {
      if ((s.code === "a" || s.code === "z") && isOclcIn035(s.value)) {
        add(parseOclcNumber(s.value), s.code === "a" ? "035$a" : "035$z");
      }
    }
  }
  return out;
}

/** "(OCoLC)..." or an ocm/ocn/on number: other 035 values are other agencies' or local numbers. */
export function isOclcIn035(value: string): boolean {
  const v = value.trim();
  return ORG_PREFIX.test(v) || OCLC_PREFIX.test(v);
}

function numberIn001(value: string, org: string | undefined): string | undefined {
  if (org === undefined || org === "") return PREFIXED_001.exec(value.trim())?.[1];
  return org.toUpperCase() === "OCOLC" ? parseOclcNumber(value) : undefined;
}
