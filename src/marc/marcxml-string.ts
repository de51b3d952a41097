/**
 * MARCXML as strings, for request and response bodies (WorldCat client, sandbox).
 *
 * ```ts
 * recordToMarcXml(record)        // '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>...'
 * parseMarcXmlString(body)[0]    // the first record of a response
 * ```
 */
import { MarcReadError } from "./codec.js";
import { MarcXmlParser } from "./marcxml-reader.js";
import type { MarcRecord } from "./record.js";
import { escapeXml, type InvalidCharacterHandler } from "./xml/escape.js";
import { MARC21_SLIM_NS } from "./xml/namespaces.js";

export interface MarcXmlFormat {
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>`. Default false. */
  readonly declaration?: boolean;
  /** Put `xmlns="http://www.loc.gov/MARC21/slim"` on `<record>`. Default true. */
  readonly namespace?: boolean;
  /** Newlines and two-space indentation. Default false. */
  readonly indent?: boolean;
  readonly onInvalidCharacter?: InvalidCharacterHandler;
}

/** All MARC records in an XML document (any wrapper). Throws MarcReadError on the first problem of any kind. */
export function parseMarcXmlString(xml: string): MarcRecord[] {
  const parser = new MarcXmlParser(Buffer.from(xml, "utf8"), true);
  parser.end();
  return parser.out.map((item) => {
    const problem = item.problems[0];
    if (problem) throw new MarcReadError(problem);
    return item.record;
  });
}

/** One record as a MARCXML `<record>` element. */
export function recordToMarcXml(record: MarcRecord, options: MarcXmlFormat = {}): string {
  const head = options.declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : "";
  const ns = options.namespace === false ? "" : ` xmlns="${MARC21_SLIM_NS}"`;
  return (
    head +
    recordElement(
      record,
      ns,
      options.indent ? "\n" : "",
      options.indent ? "  " : "",
      options.onInvalidCharacter,
    )
  );
}

/** The `<record>` element; `nl` and `ind` are the newline and indent units ("" for compact output). */
export function recordElement(
  record: MarcRecord,
  nsAttr: string,
  nl: string,
  ind: string,
  onInvalid?: InvalidCharacterHandler,
  base = "",
): string {
  const i1 = base + ind;
  const i2 = i1 + ind;
  let s = `${base}<record${nsAttr}>${nl}${i1}<leader>${escapeXml(record.leader, false, onInvalid)}</leader>${nl}`;
  for (const f of record.fields) {
    const tag = escapeXml(f.tag, true, onInvalid);
    if (f.kind === "control") {
      s += `${i1}<controlfield tag="${tag}">${escapeXml(f.value, false, onInvalid)}</controlfield>${nl}`;
      continue;
    }
    s += `${i1}<datafield tag="${tag}" ind1="${escapeXml(f.ind1, true, onInvalid)}" ind2="${escapeXml(f.ind2, true, onInvalid)}">${nl}`;
    for (const sf of f.subfields) {
      s += `${i2}<subfield code="${escapeXml(sf.code, true, onInvalid)}">${escapeXml(sf.value, false, onInvalid)}</subfield>${nl}`;
    }
    s += `${i1}</datafield>${nl}`;
  }
  return `${s}${base}</record>`;
}
