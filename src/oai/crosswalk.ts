/**
 * Repository item -> MARC 21 record, by a crosswalk profile (see profiles/thesis.yaml): LoC's Dublin Core
 * crosswalk made into a thesis record a cataloguer would accept. Pure: the same item, profile and date
 * give the same record.
 *
 * ```ts
 * const record = crosswalk(item, profile, { symbol: "OCPSB", today: new Date() });
 * ```
 */
import {
  controlField,
  createRecord,
  type DataField,
  dataField,
  type Field,
  type MarcRecord,
} from "../marc/index.js";
import type { RepositoryItem } from "./item.js";
import { nonFiling } from "./non-filing.js";
import type { CrosswalkProfile, FieldTemplate } from "./profile.js";

export interface CrosswalkContext {
  /** The institution's OCLC symbol (040), when the profile names none. */
  readonly symbol: string;
  /** For 008/00-05 (date entered on file). */
  readonly today: Date;
}

/** The prefix of the 035 that holds the OAI identifier: the key that finds our record again. */
export const OAI_ID_PREFIX = "(OAI)";

export function crosswalk(
  item: RepositoryItem,
  profile: CrosswalkProfile,
  ctx: CrosswalkContext,
): MarcRecord {
  const symbol = profile.institution.symbol || ctx.symbol;
  const language = languageOf(item, profile);
  const year = yearOf(item);
  const byset = item.sets.map((s) => profile.sets[s]).find((x) => x !== undefined) ?? {};
  const degreeName = item.degree.name ?? degreeFromNotes(item) ?? byset.degree;
  const values: Record<string, string> = {
    year: year ?? "",
    degree: degreeName ? (profile.degrees[degreeName.toLowerCase()] ?? degreeName) : "",
    grantor: item.degree.grantor ?? byset.grantor ?? profile.institution.name,
    publisher: item.publishers[0] ?? profile.institution.name,
    place: profile.institution.place,
  };
  const fields: Field[] = [
    controlField("008", field008(ctx.today, year, profile.institution.country, language)),
    dataField("035", " ", " ", [["a", `${OAI_ID_PREFIX}${item.identifier}`]]),
    dataField("040", " ", " ", [
      ["a", symbol],
      ["b", profile.catalogingLanguage],
      ["e", profile.descriptionConventions],
      ["c", symbol],
    ]),
    ...names(item, profile),
    ...titleFields(item, profile, language),
    dataField("300", " ", " ", [
      ["a", item.extent ? `${profile.extent} (${item.extent.replace(/\.$/, "")})` : profile.extent],
    ]),
    ...abstractFields(item, profile),
    ...item.rights.slice(0, 1).map((r) => dataField("540", " ", " ", [["a", r]])),
    ...subjectFields(item),
    ...item.alternativeTitles.map((t) => dataField("246", "3", "3", [["a", t]])),
    ...links(item).map((u) => dataField("856", "4", "0", [["u", u]])),
    ...profile.fields.flatMap((t) => fromTemplate(t, values)),
  ];
  // Leader/06 a (language material), /07 m (monograph), /17-18 from the profile: `00000nam a2200000Ki 4500`.
  const leader = `00000nam a2200000${profile.leader.encodingLevel}${profile.leader.descriptiveForm} 4500`;
  return createRecord({ leader, fields: sortByTag(fields) });
}

/** Fields in tag order, those of one tag in the order they were made. */
function sortByTag(fields: Field[]): Field[] {
  return fields
    .map((f, i) => [f, i] as const)
    .sort((a, b) => (a[0].tag < b[0].tag ? -1 : a[0].tag > b[0].tag ? 1 : a[1] - b[1]))
    .map(([f]) => f);
}

/** 008 for a book (thesis): date entered, single date, place, online, nature of contents "m" (theses), language. */
export function field008(today: Date, year: string | undefined, country: string, language: string): string {
  const entered = today.toISOString().slice(2, 10).replace(/-/g, "");
  const dates = year ? `s${year}    ` : "nuuuu    ";
  return `${entered}${dates}${country}     om    000 0 ${language} d`;
}

function languageOf(item: RepositoryItem, profile: CrosswalkProfile): string {
  for (const l of item.languages) {
    const code = profile.languages[l.toLowerCase()];
    if (code) return code;
  }
  return "und";
}

/** The first four-digit year of the issue date (or the first date with one). */
function yearOf(item: RepositoryItem): string | undefined {
  for (const d of item.dates) {
    const y = /\b(1[5-9]\d\d|20\d\d)\b/.exec(d)?.[1];
    if (y) return y;
  }
  return undefined;
}

/** "Thesis (Ph.D.)--University, 2021." as DSpace sites often write in dc.description. */
function degreeFromNotes(item: RepositoryItem): string | undefined {
  for (const d of item.descriptions) {
    const m = /^(?:Thesis|Dissertation)\s*\(([^)]+)\)/i.exec(d);
    if (m) return m[1].trim();
  }
  return undefined;
}

/** 100 for the first creator, 700 for the others and the advisors (`$e thesis advisor`). */
function names(item: RepositoryItem, profile: CrosswalkProfile): DataField[] {
  const out: DataField[] = [];
  const person = (tag: string, name: string, role?: string) =>
    dataField(tag, name.includes(",") ? "1" : "0", " ", [
      ["a", role ? `${name.replace(/[.,]$/, "")},` : name],
      ...(role ? [["e", `${role}.`] as const] : []),
    ]);
  const [first, ...coauthors] = item.creators;
  if (first) out.push(person("100", first, "author"));
  for (const c of coauthors) out.push(person("700", c, "author"));
  const unqualified = item.unqualifiedContributors;
  const advisors = [...item.advisors, ...(profile.contributors === "advisor" ? unqualified : [])];
  for (const a of advisors) out.push(person("700", a, "thesis advisor"));
  const others = [...item.contributors, ...(profile.contributors === "contributor" ? unqualified : [])];
  for (const c of others) out.push(person("700", c));
  return out;
}

/** 245: title proper and remainder split at the first colon, the statement of responsibility, ISBD marks. */
function titleFields(item: RepositoryItem, profile: CrosswalkProfile, language: string): DataField[] {
  const full = item.titles[0];
  if (!full) return [];
  const colon = /\s*:\s+/.exec(full);
  const proper = colon ? full.slice(0, colon.index) : full;
  const rest = colon ? full.slice(colon.index + colon[0].length) : undefined;
  const author = item.creators[0] ? directOrder(item.creators[0]) : undefined;
  const subs: [string, string][] = [["a", `${proper}${rest ? " :" : author ? " /" : "."}`]];
  if (rest) subs.push(["b", `${rest}${author ? " /" : "."}`]);
  if (author) subs.push(["c", `${author}.`.replace(/\.\.$/, ".")]);
  const articles = profile.articles[language] ?? profile.articles.eng ?? [];
  return [dataField("245", item.creators.length > 0 ? "1" : "0", String(nonFiling(proper, articles)), subs)];
}

/** "Lindqvist, Maja" -> "Maja Lindqvist" for 245 $c. */
function directOrder(name: string): string {
  const m = /^([^,]+),\s*(.+)$/.exec(name);
  return m ? `${m[2]} ${m[1]}` : name;
}

/** 520 from the abstract (else the first description that is not a degree note), cut at a sentence end. */
function abstractFields(item: RepositoryItem, profile: CrosswalkProfile): DataField[] {
  const text = item.abstracts[0] ?? item.descriptions.find((d) => !/^(?:Thesis|Dissertation)\s*\(/i.test(d));
  if (!text) return [];
  return [dataField("520", "3", " ", [["a", cut(text, profile.abstractMaxLength)]])];
}

export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const sentence = Math.max(head.lastIndexOf(". "), head.lastIndexOf("? "), head.lastIndexOf("! "));
  if (sentence > max / 2) return head.slice(0, sentence + 1);
  const word = head.lastIndexOf(" ");
  return `${head.slice(0, word > 0 ? word : max - 3).replace(/[\s,;:]+$/, "")}...`;
}

/**
 * 650 _0 for LCSH, 650 _2 for MeSH (651 for a place, 600 for a person, 610 for a body, when the format says
 * so), 653 for keywords.
 */
function subjectFields(item: RepositoryItem): DataField[] {
  return item.subjects.map((s) => {
    if (s.scheme === "lcsh" || s.scheme === "mesh") {
      const [a, ...subdivisions] = s.value.split(/\s*--\s*/);
      const [tag, ind1] =
        s.kind === "geographic"
          ? ["651", " "]
          : s.kind === "personal"
            ? ["600", a.includes(",") ? "1" : "0"]
            : s.kind === "corporate"
              ? ["610", "2"]
              : ["650", " "];
      return dataField(tag, ind1, s.scheme === "lcsh" ? "0" : "2", [
        ["a", a],
        ...subdivisions.map((x) => ["x", x] as const),
      ]);
    }
    return dataField("653", " ", " ", [["a", s.value]]);
  });
}

/** The item's persistent links (handle, DOI, landing page) for 856 40; file links only when there is nothing else. */
export function links(item: RepositoryItem): string[] {
  const persistent = item.identifiers.filter((u) =>
    /hdl\.handle\.net|doi\.org|\/handle\/|\/id\/eprint\/\d+\/?$/.test(u),
  );
  return persistent.length > 0 ? persistent : item.identifiers.slice(0, 1);
}

function fromTemplate(t: FieldTemplate, values: Readonly<Record<string, string>>): DataField[] {
  const subs: [string, string][] = [];
  for (const [code, template] of t.subfields) {
    let empty = false;
    const value = template.replace(/\{([a-z]+)\}/g, (_, k: string) => {
      const v = (values[k] ?? "").trim();
      if (v === "") empty = true;
      return v;
    });
    if (!empty) subs.push([code, value.replace(/([.,:;])\1$/, "$1")]);
  }
  // A field whose every value came from the item, and none came, is left out.
  return subs.length === 0 ? [] : [dataField(t.tag, t.ind1, t.ind2, subs)];
}
