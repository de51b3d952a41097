/**
 * Synthetic master records 100000001..100000000+N, made on demand from their number alone, so a sandbox
 * with a million of them costs nothing until one is read. Every 1000th is merged into the one before it.
 */
import { controlField, createRecord, dataField, type MarcRecord } from "../../marc/record.js";

export const SYNTHETIC_BASE = 100_000_000;

/** Index k (1-based) of a synthetic number, or undefined when `ocn` is outside 1..count. */
export function syntheticIndex(ocn: number, count: number): number | undefined {
  const k = ocn - SYNTHETIC_BASE;
  return k >= 1 && k <= count ? k : undefined;
}

/** The record a synthetic number k was merged into, if any (every 1000th goes into its predecessor). */
export function syntheticMergedInto(k: number): number | undefined {
  return k % 1000 === 0 ? SYNTHETIC_BASE + k - 1 : undefined;
}

/** ISBN-13 of synthetic record k: 979 + k in 9 digits + check digit (so the ISBN gives the number back). */
export function syntheticIsbn(k: number): string {
  const body = `979${String(k).padStart(9, "0")}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** k from a synthetic ISBN, or undefined. */
export function syntheticIndexFromIsbn(isbn: string): number | undefined {
  if (!/^979\d{10}$/.test(isbn) || syntheticIsbn(Number(isbn.slice(3, 12))) !== isbn) return undefined;
  return Number(isbn.slice(3, 12));
}

export function syntheticTitle(k: number): string {
  return `Synthetic record ${k}`;
}

export function syntheticRecord(k: number): MarcRecord {
  const ocn = SYNTHETIC_BASE + k;
  const year = 1950 + (k % 75);
  return createRecord({
    leader: "00000cam a2200000 i 4500",
    fields: [
      controlField("001", `ocn${ocn}`),
      controlField("003", "OCoLC"),
      controlField("005", "20240101000000.0"),
      controlField("008", `240101s${year}    nyu           000 0 eng d`),
      dataField("020", " ", " ", [["a", syntheticIsbn(k)]]),
      dataField("035", " ", " ", [["a", `(OCoLC)${ocn}`]]),
      dataField("040", " ", " ", [
        ["a", "OCLCS"],
        ["b", "eng"],
        ["e", "rda"],
        ["c", "OCLCS"],
      ]),
      dataField("100", "1", " ", [
        ["a", `Author${k % 997}, Sandbox,`],
        ["e", "author."],
      ]),
      dataField("245", "1", "0", [
        ["a", `${syntheticTitle(k)} /`],
        ["c", `Sandbox Author${k % 997}.`],
      ]),
      dataField("264", " ", "1", [
        ["a", "New York :"],
        ["b", "Nightshift Press,"],
        ["c", String(year)],
      ]),
      dataField("300", " ", " ", [
        ["a", `${100 + (k % 400)} pages ;`],
        ["c", "24 cm"],
      ]),
    ],
  });
}
