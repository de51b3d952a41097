import type { ControlField, DataField, Subfield } from "../record.js";

// The reader builds the model's frozen values directly (same shapes as `controlField`/`dataField` in
// record.ts) so each subfield is allocated once: a measurable share of the read time.

/** A control field from its decoded text. */
export function buildControlField(tag: string, value: string): ControlField {
  return Object.freeze({ kind: "control", tag, value });
}

/**
 * A data field from the decoded text after the indicators: `\x1Fa...\x1Fb...`. Splitting the decoded text
 * is byte-exact because the delimiter is ASCII and never part of a multi-byte UTF-8 sequence.
 */
export function buildDataField(tag: string, ind1: string, ind2: string, content: string): DataField {
  const subfields: Subfield[] = [];
  let at = content.indexOf("\x1f");
  while (at >= 0) {
    const next = content.indexOf("\x1f", at + 1);
    const stop = next < 0 ? content.length : next;
    if (stop > at + 1)
      subfields.push(Object.freeze({ code: content[at + 1], value: content.slice(at + 2, stop) }));
    at = next;
  }
  return Object.freeze({ kind: "data", tag, ind1, ind2, subfields: Object.freeze(subfields) });
}
