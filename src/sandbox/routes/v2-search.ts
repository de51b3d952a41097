/** Metadata API 2.0: /worldcat/search/brief-bibs (search and one brief record). */
import { readBib, requireOcn } from "../domain/bib-ops.js";
import { briefRecord } from "../domain/brief.js";
import { parseQuery, search } from "../domain/search.js";
import { BadRequestError } from "../errors.js";
import { json } from "../http/reply.js";
import type { Route } from "../http/router.js";

function intParam(value: string | null, name: string, fallback: number, min: number, max: number): number {
  if (value === null || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new BadRequestError(`'${name}' must be an integer from ${min} to ${max}; got '${value}'`);
  return n;
}

export const v2SearchRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/worldcat/search/brief-bibs",
    style: "v2",
    op: "view_brief_bibs",
    handle: ({ ctx, env }) => {
      const terms = parseQuery(ctx.query.get("q"));
      const offset = intParam(ctx.query.get("offset"), "offset", 1, 1, 10_000);
      const limit = intParam(ctx.query.get("limit"), "limit", 10, 1, 50);
      const hits = search(env.state, terms);
      const page = hits.slice(offset - 1, offset - 1 + limit).map((ocn) => {
        const found = readBib(env.state, ocn);
        return briefRecord(found.ocn, found.record, env.state.bibs.mergedInto(found.ocn));
      });
      return json(200, { numberOfRecords: hits.length, briefRecords: page });
    },
  },
  {
    method: "GET",
    pattern: "/worldcat/search/brief-bibs/:ocn",
    style: "v2",
    op: "view_brief_bibs",
    handle: ({ env, params }) => {
      const found = readBib(env.state, requireOcn(params.ocn));
      return json(200, briefRecord(found.ocn, found.record, env.state.bibs.mergedInto(found.ocn)));
    },
  },
];
