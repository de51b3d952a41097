/**
 * MARCXML (`marcxml`, DSpace's `marc`): the repository's own MARC record, read into the same intermediate
 * shape so the thesis profile decides the catalogue record whatever the source. DSpace's stock `marc` format
 * is the LoC Dublin Core mapping (720 names, 024 8_ identifiers, 653 keywords), read here as well.
 */
import { type DataField, dataField, subfieldValues } from "../../marc/index.js";
import type { HarvestedRecord } from "../harvester.js";
import { add, emptyDraft, linkOf, type RepositoryItem, type Subject } from "../item.js";
import { textOf, type XmlNode } from "../xml-tree.js";

/** The subject tags read, and what each names (650: a topic). */
const SUBJECT_KINDS: Readonly<Record<string, Subject["kind"]>> = {
  "600": "personal",
  "610": "corporate",
  "651": "geographic",
};

export function fromMarcXml(record: HarvestedRecord, format: string): RepositoryItem {
  const d = emptyDraft(record.identifier, record.datestamp, record.sets, format);
  const root =
    record.metadata?.name === "collection"
      ? record.metadata.children.find((c) => c.name === "record")
      : record.metadata;
  const fields = dataFieldsOf(root);
  const sub = (f: DataField, ...codes: string[]) => subfieldValues(f, ...codes);
  const clean = (s: string) => s.replace(/\s*[/:;,.]\s*$/, "").trim();
  for (const f of fields) {
    switch (f.tag) {
      case "245":
        add(d.titles, clean(sub(f, "a", "b").map(clean).join(" : ")));
        break;
      case "246":
        add(d.alternativeTitles, clean(sub(f, "a").join(" ")));
        break;
      case "100":
        add(d.creators, clean(sub(f, "a").join(" ")));
        break;
      case "700": {
        const roles = [...sub(f, "e"), ...sub(f, "4")].join(" ");
        const name = clean(sub(f, "a").join(" "));
        if (/thesis advisor|ths|advisor/i.test(roles)) add(d.advisors, name);
        else add(d.contributors, name);
        break;
      }
      case "720": {
        // Uncontrolled names: how Dublin Core creators and contributors come through the LoC mapping (DSpace's
        // stock `marc` format writes every author as 720 $e author).
        const role = sub(f, "e", "4").join(" ");
        const name = clean(sub(f, "a").join(" "));
        if (/thesis advisor|ths|advisor|supervisor/i.test(role)) add(d.advisors, name);
        else if (/author|aut|creator|cre/i.test(role)) add(d.creators, name);
        else if (role) add(d.contributors, name);
        else add(d.unqualifiedContributors, name);
        break;
      }
      case "024":
        // DSpace's `marc` puts every dc.identifier.* in 024 8_: the links (handle, DOI) are kept, citations not.
        for (const v of sub(f, "a")) add(d.identifiers, linkOf(v));
        break;
      case "520":
        add(d.abstracts, sub(f, "a").join(" "));
        break;
      case "500":
        add(d.descriptions, sub(f, "a").join(" "));
        break;
      case "600":
      case "610":
      case "650":
      case "651": {
        const kind = SUBJECT_KINDS[f.tag];
        for (const v of sub(f, "a"))
          d.subjects.push({
            value: clean(v),
            scheme: f.ind2 === "0" ? "lcsh" : f.ind2 === "2" ? "mesh" : undefined,
            ...(kind ? { kind } : {}),
          });
        break;
      }
      case "653":
        for (const v of sub(f, "a")) d.subjects.push({ value: clean(v) });
        break;
      case "260":
      case "264":
        for (const v of sub(f, "b")) add(d.publishers, clean(v));
        for (const v of sub(f, "c")) add(d.dates, clean(v));
        break;
      case "502":
        d.degree.name ??= sub(f, "b")[0];
        d.degree.grantor ??= sub(f, "c")[0];
        if (sub(f, "d")[0]) add(d.dates, sub(f, "d")[0]);
        if (sub(f, "a")[0]) add(d.descriptions, sub(f, "a")[0]);
        break;
      case "041":
        for (const v of sub(f, "a")) add(d.languages, v);
        break;
      case "300":
        d.extent ??= clean(sub(f, "a").join(" "));
        break;
      case "655":
        for (const v of sub(f, "a")) add(d.types, clean(v));
        break;
      case "856":
        for (const v of sub(f, "u")) add(d.identifiers, linkOf(v));
        break;
      case "540":
        add(d.rights, sub(f, "a").join(" "));
        break;
    }
  }
  const f008 = root?.children.find((c) => c.name === "controlfield" && c.attrs.tag === "008");
  const lang = f008 ? textOf(f008).slice(35, 38) : "";
  if (/^[a-z]{3}$/.test(lang)) add(d.languages, lang);
  return d;
}

function dataFieldsOf(root: XmlNode | undefined): DataField[] {
  return (root?.children ?? [])
    .filter((c) => c.name === "datafield")
    .map((c) =>
      dataField(
        c.attrs.tag ?? "",
        c.attrs.ind1 ?? " ",
        c.attrs.ind2 ?? " ",
        c.children
          .filter((s) => s.name === "subfield")
          .map((s) => [s.attrs.code ?? "", s.text.trim()] as const),
      ),
    );
}
