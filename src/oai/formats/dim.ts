/**
 * DSpace's internal metadata (`dim`): `<dim:field mdschema="dc" element="contributor" qualifier="advisor">`,
 * the richest DSpace format (qualifiers kept: advisors, abstract, issue date, degree in the `thesis` schema).
 */
import type { HarvestedRecord } from "../harvester.js";
import { add, emptyDraft, type ItemDraft, linkOf, type RepositoryItem } from "../item.js";
import { textOf } from "../xml-tree.js";

export function fromDim(record: HarvestedRecord, format: string): RepositoryItem {
  const d = emptyDraft(record.identifier, record.datestamp, record.sets, format);
  const issued: string[] = [];
  for (const f of record.metadata?.children ?? []) {
    if (f.name !== "field") continue;
    const value = textOf(f);
    if (value === "") continue;
    const key = [f.attrs.mdschema, f.attrs.element, f.attrs.qualifier].filter(Boolean).join(".");
    field(d, key, value, issued);
  }
  d.dates = [...issued, ...d.dates.filter((x) => !issued.includes(x))];
  return d;
}

function field(d: ItemDraft, key: string, value: string, issued: string[]): void {
  if (key === "dc.contributor.advisor" || key === "dc.contributor.supervisor") {
    add(d.advisors, value);
    return;
  }
  if (key === "dc.contributor.author" || key.startsWith("dc.creator")) {
    add(d.creators, value);
    return;
  }
  if (key.startsWith("dc.contributor")) {
    add(d.contributors, value);
    return;
  }
  if (key === "dc.title") {
    add(d.titles, value);
    return;
  }
  if (key.startsWith("dc.title.")) {
    add(d.alternativeTitles, value);
    return;
  }
  if (key === "dc.description.abstract") {
    add(d.abstracts, value);
    return;
  }
  if (key === "dc.description" || key === "dc.description.note") {
    add(d.descriptions, value);
    return;
  }
  if (key === "dc.date.issued") {
    add(issued, value);
    return;
  }
  if (key.startsWith("dc.date") && !/accessioned|available/.test(key)) {
    add(d.dates, value);
    return;
  }
  if (key.startsWith("dc.subject")) {
    const scheme = key.split(".")[2]?.toLowerCase();
    d.subjects.push({
      value,
      scheme: scheme && ["lcsh", "mesh", "ddc", "lcc"].includes(scheme) ? scheme : undefined,
    });
    return;
  }
  if (key.startsWith("dc.publisher")) {
    add(d.publishers, value);
    return;
  }
  if (key.startsWith("dc.type")) {
    add(d.types, value);
    return;
  }
  if (key.startsWith("dc.language")) {
    add(d.languages, value);
    return;
  }
  if (key.startsWith("dc.identifier")) {
    add(d.identifiers, linkOf(key === "dc.identifier.doi" && !value.includes(":") ? `doi:${value}` : value));
    return;
  }
  if (key === "dc.format.extent") {
    d.extent ??= value;
    return;
  }
  if (key.startsWith("dc.rights")) {
    add(d.rights, value);
    return;
  }
  // The ETD-MS `thesis` schema DSpace installs, and the dc.degree habits some repositories have.
  const degree = /^(?:thesis\.degree|dc\.degree|etd\.degree)\.(name|level|grantor|discipline)$/.exec(
    key,
  )?.[1];
  if (degree) (d.degree as Record<string, string>)[degree] ??= value;
}
