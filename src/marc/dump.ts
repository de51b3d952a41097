/**
 * A readable text dump of records for logs and the UI, in yaz-marcdump's line format:
 *
 * ```text
 * 00714cam a2200205 a 4500
 * 001 12883376
 * 245 10 $a Summerland / $c Michael Chabon.
 * ```
 * Each record ends with an empty line.
 */

import { once } from "node:events";
import type { Writable } from "node:stream";
import { finished } from "node:stream/promises";
import type { MarcWriter } from "./codec.js";
import type { Field, MarcRecord } from "./record.js";

/** One field as a dump line (no line end): `001 value` or `245 10 $a Title / $c Me.` */
export function dumpField(field: Field): string {
  if (field.kind === "control") return `${field.tag} ${field.value}`;
  let line = `${field.tag} ${field.ind1}${field.ind2}`;
  for (const s of field.subfields) line += ` $${s.code} ${s.value}`;
  return line;
}

/** One record as dump text: the leader line, one line per field, then an empty line. */
export function dumpRecord(record: MarcRecord): string {
  let text = `${record.leader}\n`;
  for (const field of record.fields) text += `${dumpField(field)}\n`;
  return `${text}\n`;
}

/** A MarcWriter that writes dump text to `out`; `close` ends the stream unless `{ end: false }`. */
export function createDumpWriter(out: Writable, options: { end?: boolean } = {}): MarcWriter {
  let pending = "";
  const flush = async (): Promise<void> => {
    if (!pending) return;
    const ok = out.write(pending);
    pending = "";
    if (!ok) await once(out, "drain");
  };
  return {
    async write(record: MarcRecord): Promise<void> {
      pending += dumpRecord(record);
      if (pending.length >= 64 * 1024) await flush();
    },
    async close(): Promise<void> {
      await flush();
      if (options.end === false) return;
      out.end();
      await finished(out);
    },
  };
}
