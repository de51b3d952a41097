/** The first Metadata API's local bibliographic data: /lbd/data[/{id}]. */
import { createLbd, deleteLbd, readLbd, replaceLbd } from "../domain/lbd-ops.js";
import { BadRequestError } from "../errors.js";
import type { Route } from "../http/router.js";
import { readRecord, v1Entry } from "./record-body.js";
import { checkInstitution, lbdUrl } from "./v1-common.js";
import { requireLbdId } from "./v2-lbds.js";

export const v1LbdRoutes: Route[] = [
  {
    method: "POST",
    pattern: "/lbd/data",
    style: "v1-atom",
    op: "manage_institution_lbds",
    handle: async ({ ctx, env, caller }) => {
      checkInstitution(ctx, caller);
      const lbd = createLbd(env.state, caller.symbol, await readRecord(ctx, "v1"));
      return v1Entry(201, lbd.record, lbdUrl(lbd.id));
    },
  },
  {
    method: "GET",
    pattern: "/lbd/data/:id",
    style: "v1-atom",
    op: "manage_institution_lbds",
    handle: ({ ctx, env, caller, params }) => {
      checkInstitution(ctx, caller);
      const lbd = readLbd(env.state, caller.symbol, requireLbdId(params.id));
      return v1Entry(200, lbd.record, lbdUrl(lbd.id));
    },
  },
  {
    method: "PUT",
    pattern: "/lbd/data",
    style: "v1-atom",
    op: "manage_institution_lbds",
    handle: async ({ ctx, env, caller }) => {
      checkInstitution(ctx, caller);
      const lbd = replaceLbd(env.state, caller.symbol, await readRecord(ctx, "v1"));
      return v1Entry(200, lbd.record, lbdUrl(lbd.id));
    },
  },
  {
    method: "DELETE",
    pattern: "/lbd/data/:id",
    style: "v1-atom",
    op: "manage_institution_lbds",
    handle: ({ ctx, env, caller, params }) => {
      checkInstitution(ctx, caller);
      const lbd = deleteLbd(env.state, caller.symbol, requireLbdId(params.id));
      return v1Entry(200, lbd.record, lbdUrl(lbd.id));
    },
  },
  {
    // As OCLC's client libraries do it: the record to delete in the body, its number in 001.
    method: "DELETE",
    pattern: "/lbd/data",
    style: "v1-atom",
    op: "manage_institution_lbds",
    handle: async ({ ctx, env, caller }) => {
      checkInstitution(ctx, caller);
      const id = (await readRecord(ctx, "v1")).controlValue("001")?.trim() ?? "";
      if (id === "")
        throw new BadRequestError("001 must hold the local bibliographic data number", "BAD_REQUEST");
      const lbd = deleteLbd(env.state, caller.symbol, requireLbdId(id));
      return v1Entry(200, lbd.record, lbdUrl(lbd.id));
    },
  },
];
