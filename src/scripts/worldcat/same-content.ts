/**
 * Does WorldCat hold the record as we sent it? Used to settle a replace (of a master record or of local
 * bib data, where WorldCat writes only 001 and 005) whose earlier attempt may have been applied. What WorldCat writes itself on a replace is ignored (see src/sandbox/domain/bib-ops.ts `stamp`):
 * 001, 003, 005, the `(OCoLC)` 035 $a, the leader's computed parts (record length, base address) and record
 * status (05: WorldCat marks a replaced record corrected), and 040 $d (the modifying agencies it appends).
 * Fields are compared tag by tag in their order within each tag (WorldCat may order tags its own way).
 *
 * ```ts
 * sameContent(sent, await wc.bibs.read(ocn)) // true when only WorldCat's own fields differ
 * ```
 */
import { createHash } from "node:crypto";
import { type Field, fieldsEqual, type MarcRecord } from "../../marc/index.js";

const WORLDCAT_OWN = new Set(["001", "003", "005"]);

export function sameContent(sent: MarcRecord, stored: MarcRecord): boolean {
  if (leaderContent(sent.leader) !== leaderContent(stored.leader)) return false;
  const a = contentFields(sent);
  const b = contentFields(stored);
  return a.length === b.length && a.every((f, i) => fieldsEqual(f, b[i]));
}

/** SHA-256 (hex) of what `sameContent` compares: two records with the same content have the same digest. */
export function contentDigest(record: MarcRecord): string {
  const hash = createHash("sha256").update(leaderContent(record.leader));
  for (const f of contentFields(record)) hash.update("\u001e").update(JSON.stringify(f));
  return hash.digest("hex");
}

/** Leader positions 06-11 and 17-23: type, level, control, encoding, and the fixed counts. */
function leaderContent(leader: string): string {
  return `${leader.slice(6, 12)}|${leader.slice(17, 24)}`;
}

function contentFields(record: MarcRecord): Field[] {
  const out: Field[] = [];
  for (const f of record.fields) {
    if (WORLDCAT_OWN.has(f.tag)) continue;
    if (f.kind === "data" && f.tag === "035") {
      const subfields = f.subfields.filter((s) => !(s.code === "a" && /^\(ocolc\)/i.test(s.value.trim())));
      if (!subfields.some((s) => s.code === "a")) continue;
      out.push({ ...f, subfields });
    } else if (f.kind === "data" && f.tag === "040") {
      out.push({ ...f, subfields: f.subfields.filter((s) => s.code !== "d") });
    } else {
      out.push(f);
    }
  }
  // A stable sort: the order within a tag (650s, 700s) is kept and compared.
  return out.sort((x, y) => (x.tag < y.tag ? -1 : x.tag > y.tag ? 1 : 0));
}
