/**
 * Metadata API 2.0 search beyond brief-bibs: the full record as JSON (/search/bibs), other editions,
 * classification, institution identifiers, the institution's local bib data (/search/my-local-bib-data),
 * summary and retained holdings of every institution, and the institution's branches and shelving locations.
 */
import { recordToMarcJson } from "../../marc/json.js";
import { readBib, requireOcn } from "../domain/bib-ops.js";
import { briefRecord, clean } from "../domain/brief.js";
import { institutions } from "../domain/directory.js";
import { classificationOf, fullBib } from "../domain/full-bib.js";
import { detailedHolding, holdingCounts, retainers } from "../domain/holdings-view.js";
import { readLbd } from "../domain/lbd-ops.js";
import { parseQuery, search } from "../domain/search.js";
import { BadRequestError } from "../errors.js";
import type { RequestContext } from "../http/context.js";
import { booleanParam, intParam, listParam } from "../http/params.js";
import { json, jsonNoCharset } from "../http/reply.js";
import type { Route } from "../http/router.js";
import type { LocalBib, SandboxState } from "../state.js";
import { requireLbdId } from "./v2-lbds.js";
import { optionalOcn } from "./v2-lhrs.js";

const SEARCH = "/worldcat/search";

function brief(state: SandboxState, ocn: number) {
  const found = readBib(state, ocn);
  return briefRecord(found.ocn, found.record, state.bibs.mergedInto(found.ocn));
}

function lbdEntry(l: LocalBib) {
  return {
    controlNumber: String(l.id),
    oclcNumber: String(l.ocn),
    institutionSymbol: l.symbol,
    localIdentifier: l.localId,
    lastUpdated: (l.record.controlValue("005") ?? "").slice(0, 8),
    record: recordToMarcJson(l.record),
  };
}

/** LBD query: `no:` master number, `id:`/`ln:` local id (935), anything else matched against the record's text. */
function lbdMatches(l: LocalBib, q: string): boolean {
  const terms = q.split(/\s+AND\s+/);
  return terms.every((t) => {
    const m = /^\s*(\w+)\s*:\s*(.+?)\s*$/.exec(t);
    const index = m ? m[1].toLowerCase() : "kw";
    const value = (m ? m[2] : t)
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (index === "no") return String(l.ocn) === value.replace(/^\D+/, "").replace(/^0+/, "");
    if (index === "id" || index === "ln") return l.localId.toLowerCase() === value;
    const text = l.record.fields
      .map((f) => (f.kind === "control" ? f.value : f.subfields.map((s) => s.value).join(" ")))
      .join(" ")
      .toLowerCase();
    return text.includes(value);
  });
}

/** One of oclcNumber, isbn, issn: the current numbers it names. */
function recordsAsked(ctx: RequestContext, state: SandboxState): number[] {
  const ocn = optionalOcn(ctx, "oclcNumber");
  if (ocn !== undefined) {
    const cur = state.bibs.current(ocn);
    return cur === undefined ? [] : [cur];
  }
  const isbn = ctx.query.get("isbn");
  const issn = ctx.query.get("issn");
  if (isbn) return search(state, [{ index: "bn", value: isbn }]);
  if (issn) return search(state, [{ index: "in", value: issn }]);
  throw new BadRequestError("One of 'oclcNumber', 'isbn' or 'issn' is required");
}

export const v2DiscoveryRoutes: Route[] = [
  {
    method: "GET",
    pattern: `${SEARCH}/bibs/:ocn`,
    style: "v2",
    op: "view_brief_bibs",
    handle: ({ env, params }) => {
      const found = readBib(env.state, requireOcn(params.ocn));
      return json(200, fullBib(found.ocn, found.record, env.state.bibs.mergedInto(found.ocn)));
    },
  },
  {
    method: "GET",
    pattern: `${SEARCH}/brief-bibs/:ocn/other-editions`,
    style: "v2",
    op: "view_brief_bibs",
    // Other editions: records with the same title and creator, the record itself left out.
    handle: ({ ctx, env, params }) => {
      const found = readBib(env.state, requireOcn(params.ocn));
      const self = brief(env.state, found.ocn);
      const offset = intParam(ctx.query.get("offset"), "offset", 1, 1, 10_000);
      const limit = intParam(ctx.query.get("limit"), "limit", 10, 1, 50);
      const title = clean(self.title ?? "");
      const hits = title
        ? search(env.state, parseQuery(`ti:${title.replace(/[*"]/g, " ")}`)).filter((n) => {
            if (n === found.ocn) return false;
            const other = brief(env.state, n);
            return (
              (other.title ?? "").toLowerCase() === title.toLowerCase() && other.creator === self.creator
            );
          })
        : [];
      const page = hits.slice(offset - 1, offset - 1 + limit).map((n) => brief(env.state, n));
      return json(200, { numberOfRecords: hits.length, briefRecords: page });
    },
  },
  {
    method: "GET",
    pattern: `${SEARCH}/classification-bibs/:ocn`,
    style: "v2",
    op: "view_brief_bibs",
    handle: ({ env, params }) =>
      json(200, classificationOf(readBib(env.state, requireOcn(params.ocn)).record)),
  },
  {
    method: "GET",
    pattern: `${SEARCH}/institution`,
    style: "v2",
    op: "view_brief_bibs",
    handle: ({ ctx, env }) => {
      const ids = listParam(ctx, "registryIds");
      const symbols = listParam(ctx, "oclcSymbols").map((s) => s.toUpperCase());
      if ((ids.length === 0) === (symbols.length === 0))
        throw new BadRequestError("Give either 'registryIds' or 'oclcSymbols' (one of them, not both)");
      const entries = institutions(env.accounts)
        .filter((i) => (ids.length ? ids.includes(i.registryId) : symbols.includes(i.symbol.toUpperCase())))
        .map((i) => ({ oclcSymbols: [i.symbol], registryId: Number(i.registryId) }));
      return json(200, { entries });
    },
  },
  {
    method: "GET",
    pattern: `${SEARCH}/my-local-bib-data`,
    style: "v2",
    op: "manage_institution_lbds",
    handle: ({ ctx, env, caller }) => {
      const q = ctx.query.get("q");
      if (!q || q.trim() === "") throw new BadRequestError("Required parameter 'q' is missing");
      const offset = intParam(ctx.query.get("offset"), "offset", 1, 1, 10_000);
      const limit = intParam(ctx.query.get("limit"), "limit", 10, 1, 50);
      const hits = [...env.state.lbds.values()]
        .filter((l) => l.symbol === caller.symbol && lbdMatches(l, q))
        .sort((a, b) => a.id - b.id);
      return json(200, {
        numberOfRecords: hits.length,
        localBibData: hits.slice(offset - 1, offset - 1 + limit).map(lbdEntry),
      });
    },
  },
  {
    method: "GET",
    pattern: `${SEARCH}/my-local-bib-data/:id`,
    style: "v2",
    op: "manage_institution_lbds",
    handle: ({ env, caller, params }) =>
      json(200, lbdEntry(readLbd(env.state, caller.symbol, requireLbdId(params.id)))),
  },
  {
    method: "GET",
    pattern: `${SEARCH}/summary-holdings`,
    style: "v2",
    op: "view_summary_holdings",
    handle: ({ ctx, env }) => {
      const [ocn] = recordsAsked(ctx, env.state);
      if (ocn === undefined) return json(200, { totalHoldingCount: 0, totalSharedPrintCount: 0 });
      return json(200, {
        oclcNumber: String(ocn),
        ...holdingCounts(env.state, institutions(env.accounts), ocn),
      });
    },
  },
  {
    method: "GET",
    pattern: `${SEARCH}/bibs-summary-holdings`,
    style: "v2",
    op: "view_summary_holdings",
    handle: ({ ctx, env }) => {
      const numbers = recordsAsked(ctx, env.state);
      const directory = institutions(env.accounts);
      return json(200, {
        numberOfRecords: numbers.length,
        briefRecords: numbers.slice(0, 50).map((n) => ({
          ...brief(env.state, n),
          institutionHolding: holdingCounts(env.state, directory, n),
        })),
      });
    },
  },
  {
    method: "GET",
    pattern: `${SEARCH}/bibs-retained-holdings`,
    style: "v2",
    op: "view_summary_holdings",
    handle: ({ ctx, env }) => {
      const numbers = recordsAsked(ctx, env.state);
      return json(200, {
        numberOfRecords: numbers.length,
        briefRecords: numbers.slice(0, 50).map((n) => {
          const kept = retainers(env.state, n);
          return {
            ...brief(env.state, n),
            institutionHolding: {
              totalHoldingCount: new Set(kept.map((l) => l.symbol)).size,
              briefHoldings: kept.map((l) => detailedHolding(l)),
            },
          };
        }),
      });
    },
  },
  {
    method: "GET",
    pattern: "/worldcat/manage/institution-config/branch-shelving-locations",
    style: "v2",
    op: "manage_institution_holdings",
    handle: ({ ctx, caller }) => {
      const withShelving = booleanParam(ctx, "includeShelvingLocations", false);
      return jsonNoCharset(200, {
        id: caller.registryId,
        hasProblems: false,
        branches: caller.account.holdingCodes.map((c) => ({
          branchName: c.name,
          holdingLocation: c.code,
          ...(withShelving
            ? { shelvingLocations: (c.shelvingLocations ?? []).map((name) => ({ name })) }
            : {}),
        })),
      });
    },
  },
];
