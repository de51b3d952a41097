/**
 * A line of a look-up list as a WorldCat query: an ISBN (bn:), an ISSN (in:), an OCLC number (no:), or a
 * query already written with indexes (`ti:dune AND au:herbert`), else a keyword search (kw:).
 */
import { parseOclcNumber } from "../../marc/index.js";

function isbn10Valid(d: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (d[i] === "X" ? 10 : Number(d[i])) * (10 - i);
  return sum % 11 === 0;
}

export function toQuery(line: string): { q: string; ocn?: string } {
  const t = line.trim();
  if (/^[a-z]{2}\s*[:=]/i.test(t)) return { q: t };
  const compact = t.replace(/[\s-]/g, "").toUpperCase();
  if (/^97[89]\d{10}$/.test(compact)) return { q: `bn:${compact}` };
  if (/^\d{9}[\dX]$/.test(compact) && isbn10Valid(compact) && !/^(ocm|ocn|on)/i.test(t))
    return { q: `bn:${compact}` };
  if (/^\d{4}-\d{3}[\dX]$/i.test(t)) return { q: `in:${t.toUpperCase()}` };
  const ocn = /^\(OCoLC\)|^(ocm|ocn|on)?\d+$/i.test(t) ? parseOclcNumber(t) : undefined;
  if (ocn) return { q: `no:${ocn}`, ocn };
  return { q: `kw:${t}` };
}
