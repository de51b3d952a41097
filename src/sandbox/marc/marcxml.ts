/**
 * MARCXML (`application/marcxml+xml`) for the sandbox's bodies: one record out, records in.
 */
import { SaxesParser } from "saxes";
import { controlField, createRecord, dataField, type Field, type MarcRecord } from "../../marc/record.js";

export const MARCXML_NS = "http://www.loc.gov/MARC21/slim";

export class MarcXmlBodyError extends Error {}

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ESC[c]);
}

/** One `<record xmlns=...>` element, without XML declaration (callers add it or embed the element). */
export function recordXml(record: MarcRecord, indent = ""): string {
  const parts = [
    `${indent}<record xmlns="${MARCXML_NS}">`,
    `${indent}  <leader>${escapeXml(record.leader)}</leader>`,
  ];
  for (const f of record.fields) {
    if (f.kind === "control") {
      parts.push(`${indent}  <controlfield tag="${f.tag}">${escapeXml(f.value)}</controlfield>`);
      continue;
    }
    parts.push(
      `${indent}  <datafield tag="${f.tag}" ind1="${escapeXml(f.ind1)}" ind2="${escapeXml(f.ind2)}">`,
    );
    for (const s of f.subfields)
      parts.push(`${indent}    <subfield code="${escapeXml(s.code)}">${escapeXml(s.value)}</subfield>`);
    parts.push(`${indent}  </datafield>`);
  }
  parts.push(`${indent}</record>`);
  return parts.join("\n");
}

/** Parses every `<record>` in a MARCXML document (collection or bare record); throws MarcXmlBodyError. */
export function parseMarcXml(xml: string): MarcRecord[] {
  const parser = new SaxesParser({ xmlns: false });
  const out: MarcRecord[] = [];
  let leader = "";
  let fields: Field[] = [];
  let text = "";
  let cur: { tag: string; ind1: string; ind2: string; subs: [string, string][] } | undefined;
  let ctag = "";
  let code = "";
  parser.on("opentag", (t) => {
    const name = t.name.replace(/^.*:/, "");
    const a = t.attributes as Record<string, string>;
    text = "";
    if (name === "record") {
      leader = "";
      fields = [];
    } else if (name === "controlfield") ctag = a.tag ?? "";
    else if (name === "datafield")
      cur = { tag: a.tag ?? "", ind1: a.ind1 ?? " ", ind2: a.ind2 ?? " ", subs: [] };
    else if (name === "subfield") code = a.code ?? "";
  });
  parser.on("text", (t) => {
    text += t;
  });
  parser.on("closetag", (t) => {
    const name = t.name.replace(/^.*:/, "");
    if (name === "leader") leader = text;
    else if (name === "controlfield") fields.push(controlField(ctag, text));
    else if (name === "subfield") cur?.subs.push([code, text]);
    else if (name === "datafield" && cur) {
      fields.push(dataField(cur.tag, cur.ind1 || " ", cur.ind2 || " ", cur.subs));
      cur = undefined;
    } else if (name === "record") out.push(createRecord({ leader: leader || undefined, fields }));
    text = "";
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    throw new MarcXmlBodyError(`not well-formed MARCXML: ${(err as Error).message}`);
  }
  return out;
}
