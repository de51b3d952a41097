/**
 * `oai_dc` and the qualified Dublin Core formats (`qdc` as DSpace and others serve it): dc:* elements, and
 * dcterms:* refinements (abstract, alternative, issued, extent, ...) when present.
 */

import type { HarvestedRecord } from "../harvester.js";
import { add, emptyDraft, type ItemDraft, linkOf, type RepositoryItem } from "../item.js";
import { textOf, type XmlNode } from "../xml-tree.js";

const DC = "http://purl.org/dc/elements/1.1/";
const DCTERMS = "http://purl.org/dc/terms/";

/** `xsi:type="dcterms:LCSH"` and the like, to a subject scheme. */
const SCHEMES: Record<string, string> = { lcsh: "lcsh", mesh: "mesh", ddc: "ddc", lcc: "lcc" };

export function fromDublinCore(record: HarvestedRecord, format: string): RepositoryItem {
  const d = emptyDraft(record.identifier, record.datestamp, record.sets, format);
  const issued: string[] = [];
  for (const el of elementsOf(record.metadata)) {
    const value = textOf(el);
    if (value === "") continue;
    if (el.ns === DC) dcElement(d, el, value);
    else if (el.ns === DCTERMS) dctermsElement(d, el, value, issued);
  }
  d.dates = [...issued, ...d.dates.filter((x) => !issued.includes(x))];
  return d;
}

/** The elements of a DC container. */
function elementsOf(metadata: XmlNode | undefined): XmlNode[] {
  if (!metadata) return [];
  // <oai_dc:dc>, <qdc:qualifieddc>, DSpace 7's <dcterms:record>: the container's children are the elements.
  return metadata.children.length > 0 ? metadata.children : [metadata];
}

function dcElement(d: ItemDraft, el: XmlNode, value: string): void {
  switch (el.name) {
    case "title":
      add(d.titles, value);
      return;
    case "creator":
      add(d.creators, value);
      return;
    case "contributor":
      add(d.unqualifiedContributors, value);
      return;
    case "subject":
      d.subjects.push({ value, scheme: schemeOf(el) });
      return;
    case "description":
      add(d.descriptions, value);
      return;
    case "publisher":
      add(d.publishers, value);
      return;
    case "date":
      add(d.dates, value);
      return;
    case "type":
      add(d.types, value);
      return;
    case "language":
      add(d.languages, value);
      return;
    case "identifier":
      add(d.identifiers, linkOf(value));
      return;
    case "rights":
      add(d.rights, value);
      return;
    case "format":
      if (/\b(pages?|p\.|leaves)\b/i.test(value)) d.extent ??= value;
      return;
  }
}

/** DCMI terms: the refinements of their own, then the fifteen shared with plain Dublin Core (`dcElement`). */
function dctermsElement(d: ItemDraft, el: XmlNode, value: string, issued: string[]): void {
  switch (el.name) {
    case "abstract":
      add(d.abstracts, value);
      return;
    case "alternative":
      add(d.alternativeTitles, value);
      return;
    case "issued":
      add(issued, value);
      return;
    case "created":
    case "available":
    case "dateAccepted":
      add(d.dates, value);
      return;
    case "extent":
      d.extent ??= value;
      return;
    case "uri":
      add(d.identifiers, linkOf(value));
      return;
    case "tableOfContents":
      add(d.descriptions, value);
      return;
    case "accessRights":
    case "license":
      add(d.rights, value);
      return;
    default:
      dcElement(d, el, value);
  }
}

function schemeOf(el: XmlNode): string | undefined {
  const type = el.attrs["xsi:type"] ?? el.attrs.scheme ?? "";
  const local = type.includes(":") ? type.slice(type.indexOf(":") + 1) : type;
  return SCHEMES[local.toLowerCase()];
}
