/**
 * MODS (`mods`): titleInfo, name with role, abstract, subject, originInfo, genre, language, identifier,
 * physicalDescription, and the ETD-MS degree in an extension.
 */
import type { HarvestedRecord } from "../harvester.js";
import { add, emptyDraft, linkOf, type RepositoryItem } from "../item.js";
import { child, childrenNamed, textOf, type XmlNode } from "../xml-tree.js";

const ADVISOR = /^(ths|thesis advisor|advisor|supervisor|dgs)$/i;
const AUTHOR = /^(aut|author|cre|creator)$/i;

export function fromMods(record: HarvestedRecord, format: string): RepositoryItem {
  const d = emptyDraft(record.identifier, record.datestamp, record.sets, format);
  const mods = record.metadata?.name === "modsCollection" ? child(record.metadata, "mods") : record.metadata;
  for (const ti of childrenNamed(mods, "titleInfo")) {
    const title = [textOf(child(ti, "nonSort")), textOf(child(ti, "title"))].filter(Boolean).join(" ");
    const sub = textOf(child(ti, "subTitle"));
    const full = sub ? `${title} : ${sub}` : title;
    if (ti.attrs.type) add(d.alternativeTitles, full);
    else add(d.titles, full);
  }
  for (const n of childrenNamed(mods, "name")) {
    const name = nameOf(n);
    const roles = childrenNamed(child(n, "role"), "roleTerm").map(textOf);
    if (roles.some((r) => ADVISOR.test(r))) add(d.advisors, name);
    else if (roles.length === 0 || roles.some((r) => AUTHOR.test(r))) add(d.creators, name);
    else add(d.contributors, name);
  }
  for (const a of childrenNamed(mods, "abstract")) add(d.abstracts, textOf(a));
  for (const n of childrenNamed(mods, "note")) add(d.descriptions, textOf(n));
  for (const s of childrenNamed(mods, "subject")) {
    const scheme = (s.attrs.authority ?? "").toLowerCase();
    for (const t of s.children) {
      const value = t.name === "name" ? nameOf(t) : textOf(t);
      const kind = subjectKind(t);
      if (value && kind !== undefined)
        d.subjects.push({
          value,
          scheme: ["lcsh", "mesh"].includes(scheme) ? scheme : undefined,
          ...(kind === "topic" ? {} : { kind }),
        });
    }
  }
  for (const o of childrenNamed(mods, "originInfo")) {
    for (const p of childrenNamed(o, "publisher")) add(d.publishers, textOf(p));
    for (const dt of [...childrenNamed(o, "dateIssued"), ...childrenNamed(o, "dateCreated")])
      add(d.dates, textOf(dt));
  }
  for (const g of [...childrenNamed(mods, "genre"), ...childrenNamed(mods, "typeOfResource")])
    add(d.types, textOf(g));
  for (const l of childrenNamed(mods, "language"))
    for (const t of childrenNamed(l, "languageTerm")) add(d.languages, textOf(t));
  for (const i of childrenNamed(mods, "identifier")) {
    const v = textOf(i);
    add(d.identifiers, linkOf(i.attrs.type === "doi" && !v.includes(":") ? `doi:${v}` : v));
  }
  for (const loc of childrenNamed(mods, "location"))
    for (const u of childrenNamed(loc, "url")) add(d.identifiers, linkOf(textOf(u)));
  d.extent = textOf(child(child(mods, "physicalDescription"), "extent")) || undefined;
  for (const r of childrenNamed(mods, "accessCondition")) add(d.rights, textOf(r));
  const degree = findDeep(child(mods, "extension"), "degree");
  if (degree) {
    for (const part of ["name", "level", "grantor", "discipline"] as const) {
      const v = textOf(child(degree, part));
      if (v) d.degree[part] = v;
    }
  }
  return d;
}

/** What a child of a MODS `subject` names; undefined for what the crosswalk does not catalogue. */
function subjectKind(t: XmlNode): "topic" | "geographic" | "personal" | "corporate" | undefined {
  if (t.name === "topic") return "topic";
  if (t.name === "geographic") return "geographic";
  if (t.name !== "name") return undefined;
  return t.attrs.type === "corporate" || t.attrs.type === "conference" ? "corporate" : "personal";
}

/** `Family, Given` from namePart type="family"/"given", else the name parts as written. */
function nameOf(n: XmlNode): string {
  const parts = childrenNamed(n, "namePart");
  const family = parts.find((p) => p.attrs.type === "family");
  const given = parts.find((p) => p.attrs.type === "given");
  if (family && given) return `${textOf(family)}, ${textOf(given)}`;
  return parts
    .filter((p) => p.attrs.type !== "date")
    .map(textOf)
    .join(" ");
}

function findDeep(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node) return undefined;
  for (const c of node.children) {
    if (c.name === name) return c;
    const deeper = findDeep(c, name);
    if (deeper) return deeper;
  }
  return undefined;
}
