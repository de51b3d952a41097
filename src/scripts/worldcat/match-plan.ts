/**
 * What worldcat-match does to one local record without a reliable OCLC number: WorldCat's match endpoint,
 * and where it finds nothing a strict search (ISBN, ISSN, LCCN, then title + author + date). Every candidate
 * gets a confidence and the reason for it; only a single `high` candidate is taken: its number goes into
 * 035 (OCoLC) of the record written to records.<ext>, and with --set-holdings the holding is set on it.
 *
 * high: the match endpoint's answer, or an identifier (ISBN, ISSN, LCCN) in common, with title and date agreeing.
 * medium: title, author and date agree (a search by them). low: anything less.
 */

import type { ItemResult } from "../../batch/index.js";
import type { BatchItem, HandlerEnv } from "../../batch/item.js";
import { dataField, isOclcIn035, type MarcRecord, subfieldValues } from "../../marc/index.js";
import { matchKey } from "../../marc/match-key.js";
import type { BriefBib } from "../../worldcat/api/search.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import type { Candidate, CandidateSink } from "./candidates.js";
import { heldNow } from "./held-now.js";
import { resultOfError } from "./item-error.js";
import type { RecordSink } from "./record-sink.js";

export type Confidence = "high" | "medium" | "low";

interface Local {
  title: string;
  author: string;
  date: string;
  isbns: string[];
  issns: string[];
  lccns: string[];
}

const digits = (s: string) => s.replace(/[^0-9X]/gi, "").toUpperCase();

function localOf(r: MarcRecord): Local {
  const f245 = r.get("245");
  const author = r.getFields("100", "110", "111").flatMap((f) => subfieldValues(f, "a"))[0] ?? "";
  return {
    title: f245 ? matchKey(subfieldValues(f245, "a", "b").join(" ")) : "",
    author: matchKey(author),
    date: (r.controlValue("008") ?? "").slice(7, 11).trim(),
    isbns: r.getFields("020").flatMap((f) => subfieldValues(f, "a").map((v) => digits(v.split(/\s/)[0]))),
    issns: r.getFields("022").flatMap((f) => subfieldValues(f, "a").map(digits)),
    lccns: r.getFields("010").flatMap((f) => subfieldValues(f, "a").map((v) => v.replace(/\s/g, ""))),
  };
}

function isbn13(d: string): string {
  if (d.length !== 10) return d;
  const body = `978${d.slice(0, 9)}`;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** How well a brief record fits the local record, and why. */
export function judge(local: Local, b: BriefBib, via: string): { confidence: Confidence; reason: string } {
  const agrees: string[] = [];
  const title = matchKey(String(b.title ?? ""));
  const titleOk =
    local.title !== "" &&
    (title === local.title || title.startsWith(local.title) || local.title.startsWith(title));
  if (titleOk) agrees.push("title");
  const creator = matchKey(String(b.creator ?? ""));
  const surname = local.author.split(" ")[0] ?? "";
  const authorOk = surname !== "" && creator.split(" ").includes(surname);
  if (authorOk) agrees.push("author");
  const bDate = String(b.machineReadableDate ?? b.date ?? "")
    .replace(/\D/g, "")
    .slice(0, 4);
  const dateOk = local.date !== "" && bDate === local.date;
  if (dateOk) agrees.push("date");
  const theirs = (v: unknown) => (Array.isArray(v) ? v.map((x) => digits(String(x))) : []);
  const idOk =
    local.isbns.some((i) => theirs(b.isbns).map(isbn13).includes(isbn13(i))) ||
    local.issns.some((i) => theirs(b.issns).includes(i));
  if (idOk) agrees.push("identifier");
  const reason = `${via}; ${agrees.length ? `${agrees.join(", ")} agree` : "nothing agrees"}`;
  if ((via === "match" || idOk || via === "lccn") && titleOk && dateOk) return { confidence: "high", reason };
  if (titleOk && authorOk && dateOk) return { confidence: "medium", reason };
  return { confidence: "low", reason };
}

async function candidatesFor(wc: WorldCatClient, record: MarcRecord, local: Local, signal: AbortSignal) {
  const out: Candidate[] = [];
  const add = (via: string, q: string, list: readonly BriefBib[]) => {
    for (const brief of list)
      if (!out.some((c) => String(c.brief.oclcNumber) === String(brief.oclcNumber)))
        out.push({ brief, query: q, ...judge(local, brief, via) });
  };
  const matched = await wc.bibs.match(record, signal);
  add("match", "(match)", matched.briefRecords);
  if (out.length) return out;
  const searches: [string, string][] = [
    ...local.isbns.map((i): [string, string] => ["isbn", `bn:${i}`]),
    ...local.issns.map((i): [string, string] => ["issn", `in:${i.slice(0, 4)}-${i.slice(4)}`]),
    ...local.lccns.map((i): [string, string] => ["lccn", `nl:${i}`]),
  ];
  for (const [via, q] of searches)
    add(via, q, (await wc.search.briefBibs({ q, limit: 10 }, signal)).briefRecords);
  if (out.length === 0 && local.title && local.author) {
    const q = `ti:${local.title} AND au:${local.author.split(" ")[0]}`;
    const found = (await wc.search.briefBibs({ q, limit: 10 }, signal)).briefRecords;
    add(
      "title/author/date",
      q,
      found.filter((b) => judge(local, b, "search").reason.includes("date")),
    );
  }
  return out;
}

/** The record with 035 (OCoLC)<number> in place of any other (OCoLC) 035. */
export function withOclcNumber(record: MarcRecord, ocn: string): MarcRecord {
  const others = record.getFields("035").filter((f) => !subfieldValues(f, "a").some((v) => isOclcIn035(v)));
  return record.replaceFields("035", dataField("035", " ", " ", [["a", `(OCoLC)${ocn}`]]), ...others);
}

export function matchHandler(
  wc: WorldCatClient,
  setHoldings: boolean,
  records: RecordSink,
  candidates: CandidateSink,
) {
  return async (item: BatchItem<MarcRecord, MarcRecord>, env: HandlerEnv): Promise<ItemResult> => {
    const record = item.payload;
    try {
      const found = await candidatesFor(wc, record, localOf(record), env.signal);
      candidates.keep(item.position, item.inputId, found);
      const high = found.filter((c) => c.confidence === "high");
      const list = found.map((c) => `${c.brief.oclcNumber} ${c.confidence} (${c.reason})`).join("; ");
      if (high.length !== 1) {
        records.keep(item.position, record);
        if (found.length === 0)
          return { requested: "", outcome: "skipped", oclcCode: "NO_MATCH", message: "no candidates" };
        return {
          requested: "",
          outcome: "skipped",
          oclcCode: high.length > 1 ? "AMBIGUOUS" : "NOT_CONFIDENT",
          message: `${high.length > 1 ? "more than one high candidate" : "no confident match"}: ${list}`,
        };
      }
      const ocn = String(high[0].brief.oclcNumber);
      records.keep(item.position, withOclcNumber(record, ocn));
      let holding = "";
      if (setHoldings) {
        if (env.dryRun) holding = "; dry run: would set the holding";
        else if (item.maybeAttempted && (await heldNow(wc, ocn, env.signal)))
          // An interrupted run may have set it already: look first, so that nothing is sent twice.
          holding = "; holding already set (by the interrupted run)";
        else {
          const change = await wc.holdings.set(ocn, env.signal);
          holding = `; ${change.message ?? "holding set"}`;
        }
      }
      return {
        requested: "",
        current: ocn,
        outcome: "ok",
        action: setHoldings ? "match+set" : "match",
        message: `${ocn} high (${high[0].reason})${holding}`,
      };
    } catch (err) {
      records.keep(item.position, record);
      return resultOfError(err, env, { requested: "" });
    }
  };
}
