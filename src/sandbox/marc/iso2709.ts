/**
 * Whole-buffer ISO 2709 (`application/marc`) decode and encode for request and response bodies and the seed
 * files. UTF-8 only (Leader/09 'a'), as WorldCat exchanges it; the streaming readers in src/marc are for files.
 */
import { controlField, createRecord, dataField, isControlTag, type MarcRecord } from "../../marc/record.js";

const FT = 0x1e;
const RT = 0x1d;
const SF = 0x1f;

export class Iso2709Error extends Error {}

/** Splits a buffer into records; throws Iso2709Error naming the record number on a broken one. */
export function decodeIso2709(buf: Buffer): MarcRecord[] {
  const out: MarcRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    while (pos < buf.length && (buf[pos] === 0x0a || buf[pos] === 0x0d || buf[pos] === 0x20)) pos++;
    if (pos >= buf.length) break;
    const n = out.length + 1;
    const len = Number(buf.toString("latin1", pos, pos + 5));
    if (!Number.isInteger(len) || len < 25 || pos + len > buf.length)
      throw new Iso2709Error(`record ${n}: bad record length at byte ${pos}`);
    out.push(decodeOne(buf.subarray(pos, pos + len), n));
    pos += len;
  }
  return out;
}

function decodeOne(rec: Buffer, n: number): MarcRecord {
  const leader = rec.toString("latin1", 0, 24);
  const base = Number(leader.slice(12, 17));
  if (!Number.isInteger(base) || base > rec.length) throw new Iso2709Error(`record ${n}: bad base address`);
  const fields = [];
  for (let d = 24; d + 12 <= base && rec[d] !== FT; d += 12) {
    const tag = rec.toString("latin1", d, d + 3);
    const len = Number(rec.toString("latin1", d + 3, d + 7));
    const start = base + Number(rec.toString("latin1", d + 7, d + 12));
    if (!Number.isInteger(len) || start + len > rec.length)
      throw new Iso2709Error(`record ${n}, field ${tag}: directory entry points outside the record`);
    let end = start + len;
    if (end > start && rec[end - 1] === FT) end--;
    const body = rec.subarray(start, end);
    if (isControlTag(tag)) {
      fields.push(controlField(tag, body.toString("utf8")));
      continue;
    }
    const ind1 = String.fromCharCode(body[0] ?? 0x20);
    const ind2 = String.fromCharCode(body[1] ?? 0x20);
    const subs: [string, string][] = [];
    for (const part of body.subarray(2).toString("utf8").split("\x1f").slice(1)) {
      if (part.length > 0) subs.push([part[0], part.slice(1)]);
    }
    fields.push(dataField(tag, ind1, ind2, subs));
  }
  return createRecord({ leader, fields });
}

/** Encodes one record (UTF-8, Leader/09 set to 'a', lengths and base address computed). */
export function encodeIso2709(record: MarcRecord): Buffer {
  const bodies: Buffer[] = [];
  const dir: string[] = [];
  let offset = 0;
  for (const f of record.fields) {
    const text =
      f.kind === "control"
        ? f.value
        : `${f.ind1}${f.ind2}${f.subfields.map((s) => `${String.fromCharCode(SF)}${s.code}${s.value}`).join("")}`;
    const b = Buffer.concat([Buffer.from(text, "utf8"), Buffer.from([FT])]);
    dir.push(`${f.tag}${String(b.length).padStart(4, "0")}${String(offset).padStart(5, "0")}`);
    bodies.push(b);
    offset += b.length;
  }
  const directory = Buffer.from(`${dir.join("")}\x1e`, "latin1");
  const base = 24 + directory.length;
  const total = base + offset + 1;
  const l = record.leader;
  const leader = `${String(total).padStart(5, "0")}${l.slice(5, 9)}a${l.slice(10, 12)}${String(base).padStart(5, "0")}${l.slice(17)}`;
  return Buffer.concat([Buffer.from(leader, "latin1"), directory, ...bodies, Buffer.from([RT])]);
}
