/**
 * Text reduced for matching records (titles, names): no diacritics, lower case, runs of anything but letters
 * and digits become one space. `matchKey("Über  die Natur:")` -> `"uber die natur"`.
 */
export function matchKey(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
