/** Metadata API 2.0: /worldcat/manage/bibs (read, create, replace, validate, current, match). */
import { createBib, currentNumbers, readBib, replaceBib, requireOcn } from "../domain/bib-ops.js";
import { briefRecord } from "../domain/brief.js";
import { matchRecord } from "../domain/search.js";
import { type ValidationMode, validateBib } from "../domain/validate-bib.js";
import { NotFoundError } from "../errors.js";
import { v2ValidationBody } from "../http/error-bodies.js";
import { json, jsonNoCharset } from "../http/reply.js";
import type { Route } from "../http/router.js";
import { readRecord, v2Format, v2Record } from "./record-body.js";

const BIBS = "/worldcat/manage/bibs";
const MODES: Record<string, ValidationMode> = {
  validateFull: "full",
  validateAdd: "add",
  validateReplace: "replace",
};

export const v2BibRoutes: Route[] = [
  {
    method: "GET",
    pattern: `${BIBS}/current`,
    style: "v2",
    op: "manage_bibs",
    handle: ({ ctx, env }) =>
      json(200, { controlNumbers: currentNumbers(env.state, ctx.query.get("oclcNumbers")) }),
  },
  {
    method: "POST",
    pattern: `${BIBS}/validate/:mode`,
    style: "v2",
    op: "manage_bibs",
    handle: async ({ ctx, params }) => {
      const mode = MODES[params.mode];
      if (!mode) throw new NotFoundError(`No validation level '${params.mode}'`);
      const record = await readRecord(ctx, "v2");
      const problems = validateBib(record, mode);
      if (problems.some((p) => p.severity === "error")) return jsonNoCharset(400, v2ValidationBody(problems));
      return jsonNoCharset(200, {
        httpStatus: "OK",
        status: { summary: "VALID", description: "The provided Bib is valid" },
      });
    },
  },
  {
    method: "POST",
    pattern: `${BIBS}/match`,
    style: "v2",
    op: "manage_bibs",
    handle: async ({ ctx, env }) => {
      const record = await readRecord(ctx, "v2");
      const ocn = matchRecord(env.state, record);
      const found = ocn === undefined ? undefined : env.state.bibs.get(ocn);
      const brief = found ? [briefRecord(found.ocn, found.record, env.state.bibs.mergedInto(found.ocn))] : [];
      return jsonNoCharset(200, { numberOfRecords: brief.length, briefRecords: brief });
    },
  },
  {
    method: "POST",
    pattern: BIBS,
    style: "v2",
    op: "manage_bibs",
    handle: async ({ ctx, env }) => {
      const format = v2Format(ctx);
      const { record } = createBib(env.state, await readRecord(ctx, "v2"));
      return v2Record(201, record, format);
    },
  },
  {
    method: "GET",
    pattern: `${BIBS}/:ocn`,
    style: "v2",
    op: "manage_bibs",
    handle: ({ ctx, env, params }) =>
      v2Record(200, readBib(env.state, requireOcn(params.ocn)).record, v2Format(ctx)),
  },
  {
    method: "PUT",
    pattern: `${BIBS}/:ocn`,
    style: "v2",
    op: "manage_bibs",
    handle: async ({ ctx, env, params }) => {
      const format = v2Format(ctx);
      const { record } = replaceBib(env.state, await readRecord(ctx, "v2"), requireOcn(params.ocn), false);
      return v2Record(200, record, format);
    },
  },
];
