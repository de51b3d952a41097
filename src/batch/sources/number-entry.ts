/** Turns what the user wrote into an entry carrying a normalised OCLC number, or an invalid entry saying where. */
import { parseOclcNumber } from "../../marc/oclc-number.js";
import type { SourceEntry } from "../item.js";

/** Normalises an OCLC number (any form: `ocm00012345`, `(OCoLC)12345`, `12345`); undefined when not one. */
export type NumberParser = (text: string) => string | undefined;

export const defaultNumberParser: NumberParser = parseOclcNumber;

/**
 * ```ts
 * numberEntry(3, "ocm123", "ocm123", "line 5", parseOclcNumber) // { position: 3, payload: "123", oclcNumber: "123", ... }
 * ```
 */
export function numberEntry<R>(
  position: number,
  text: string,
  raw: R,
  where: string,
  parse: NumberParser,
  /** Its line in the input file (blank lines and comments counted). */
  line?: number,
): SourceEntry<string, R> {
  const number = text === "" ? undefined : parse(text);
  if (number === undefined) {
    const why = text === "" ? "no OCLC number" : `not an OCLC number: ${JSON.stringify(text)}`;
    return { position, line, inputId: text, raw, invalid: `${where}: ${why}` };
  }
  return { position, line, inputId: text, raw, oclcNumber: number, payload: number };
}
