/** The first Metadata API's master records: /bib/data and /bib/validate*. */
import { createBib, readBib, replaceBib, requireOcn } from "../domain/bib-ops.js";
import { type ValidationMode, validateBib } from "../domain/validate-bib.js";
import { RecordInvalidError } from "../errors.js";
import type { Route } from "../http/router.js";
import { readRecord, v1Entry } from "./record-body.js";
import { bibUrl, checkInstitution } from "./v1-common.js";

const validate = (name: string, mode: ValidationMode): Route => ({
  method: "POST",
  pattern: `/bib/${name}`,
  style: "v1",
  op: "manage_bibs",
  handle: async ({ ctx, caller }) => {
    checkInstitution(ctx, caller);
    const record = await readRecord(ctx, "v1");
    const problems = validateBib(record, mode, true);
    if (problems.some((p) => p.severity === "error")) throw new RecordInvalidError(problems);
    const n = Number(record.controlValue("001")?.replace(/\D/g, "") || 0);
    return v1Entry(200, record, bibUrl(n));
  },
});

export const v1BibRoutes: Route[] = [
  {
    method: "GET",
    pattern: "/bib/data/:ocn",
    style: "v1-atom",
    op: "manage_bibs",
    handle: ({ ctx, env, caller, params }) => {
      checkInstitution(ctx, caller);
      const found = readBib(env.state, requireOcn(params.ocn));
      return v1Entry(200, found.record, bibUrl(found.ocn));
    },
  },
  {
    method: "POST",
    pattern: "/bib/data",
    style: "v1-atom",
    op: "manage_bibs",
    handle: async ({ ctx, env, caller }) => {
      checkInstitution(ctx, caller);
      const { ocn, record } = createBib(env.state, await readRecord(ctx, "v1"));
      return v1Entry(201, record, bibUrl(ocn));
    },
  },
  {
    method: "PUT",
    pattern: "/bib/data",
    style: "v1-atom",
    op: "manage_bibs",
    handle: async ({ ctx, env, caller }) => {
      checkInstitution(ctx, caller);
      const { ocn, record } = replaceBib(env.state, await readRecord(ctx, "v1"), undefined, true);
      return v1Entry(200, record, bibUrl(ocn));
    },
  },
  validate("validateFull", "full"),
  validate("validateAdd", "add"),
  validate("validateReplace", "replace"),
];
