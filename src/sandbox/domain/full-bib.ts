/**
 * GET /search/bibs/{ocn}: the whole record as JSON, with the top-level keys of the live answer (identifier,
 * title, contributor, subjects, classification, publishers, date, language, edition, note, format,
 * description, related, work, editionCluster, database, digitalAccessAndLocations, isOpenAccess), and the
 * classification answer (/search/classification-bibs/{ocn}).
 */
import { type MarcRecord, subfieldValues } from "../../marc/record.js";
import { briefRecord, clean, compact, isbnsOf } from "./brief.js";

const values = (r: MarcRecord, tags: string[], codes: string[]) =>
  r
    .getFields(...tags)
    .map((f) => clean(subfieldValues(f, ...codes).join(" ")))
    .filter((v) => v !== "");

export function fullBib(ocn: number, r: MarcRecord, merged: readonly number[]): Record<string, unknown> {
  const brief = briefRecord(ocn, r, merged);
  const f856 = r.getFields("856");
  return {
    identifier: compact({
      oclcNumber: String(ocn),
      isbns: isbnsOf(r),
      issns: values(r, ["022"], ["a"]),
      lccn: values(r, ["010"], ["a"])[0],
      mergedOclcNumbers: merged.map(String),
    }) ?? { oclcNumber: String(ocn) },
    title:
      compact({
        mainTitles: values(r, ["245"], ["a", "b", "n", "p"]).map((text) => ({ text })),
        seriesTitles: values(r, ["490", "830"], ["a"]).map((seriesTitle) => ({ seriesTitle })),
        uniformTitles: values(r, ["130", "240"], ["a"]),
      }) ?? {},
    contributor:
      compact({
        creators: values(r, ["100", "110", "111"], ["a"]).map((name) => ({ name })),
        contributors: values(r, ["700", "710", "711"], ["a"]).map((name) => ({ name })),
        statementOfResponsibility: values(r, ["245"], ["c"]).map((text) => ({ text }))[0],
      }) ?? {},
    subjects: values(r, ["600", "610", "611", "630", "650", "651", "655"], ["a", "x", "y", "z", "v"]).map(
      (subjectName) => ({ subjectName: { text: subjectName } }),
    ),
    classification: classificationOf(r),
    publishers: values(r, ["264", "260"], ["b"]).map((publisherName, i) => ({
      publisherName: { text: publisherName },
      publicationPlace: values(r, ["264", "260"], ["a"])[i],
    })),
    date:
      compact({
        publicationDate: brief.date,
        machineReadableDate: brief.machineReadableDate,
      }) ?? {},
    language:
      compact({
        itemLanguage: brief.language,
        catalogingLanguage: brief.catalogingInfo?.catalogingLanguage,
      }) ?? {},
    edition: compact({ statement: brief.edition }) ?? {},
    note: compact({ generalNotes: values(r, ["500"], ["a"]).map((text) => ({ text })) }) ?? {},
    format: compact({ generalFormat: brief.generalFormat, specificFormat: brief.specificFormat }) ?? {},
    description:
      compact({
        physicalDescription: values(r, ["300"], ["a", "b", "c"])[0],
        contents: values(r, ["505"], ["a", "t"]).map((contentNote) => ({
          contentNote: { text: contentNote },
        })),
        summaries: values(r, ["520"], ["a"]).map((text) => ({ text })),
      }) ?? {},
    related: compact({ relatedTitles: values(r, ["765", "767", "775", "776", "780", "785"], ["t"]) }) ?? {},
    work: { id: `work-${ocn}`, count: 1 },
    editionCluster: { id: `ec-${ocn}`, count: 1 },
    database: { source: "xwc", collection: "WorldCat" },
    digitalAccessAndLocations: f856
      .map((f) => compact({ uri: subfieldValues(f, "u")[0], note: subfieldValues(f, "z", "3")[0] }))
      .filter(Boolean),
    isOpenAccess: false,
  };
}

export function classificationOf(r: MarcRecord): {
  dewey?: { mostPopular: string[] };
  lc?: { mostPopular: string[] };
} {
  const dewey = values(r, ["082"], ["a"]);
  const lc = r
    .getFields("050")
    .map((f) => subfieldValues(f, "a", "b").join(" ").trim())
    .filter((v) => v !== "");
  return {
    ...(dewey.length ? { dewey: { mostPopular: dewey } } : {}),
    ...(lc.length ? { lc: { mostPopular: lc } } : {}),
  };
}
