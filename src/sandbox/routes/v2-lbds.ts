/** Metadata API 2.0: /worldcat/manage/lbds (local bibliographic data CRUD). */
import { createLbd, deleteLbd, readLbd, replaceLbd } from "../domain/lbd-ops.js";
import { BadRequestError } from "../errors.js";
import type { Route } from "../http/router.js";
import { readRecord, v2Format, v2Record } from "./record-body.js";

const LBDS = "/worldcat/manage/lbds";

export function requireLbdId(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0)
    throw new BadRequestError(`Invalid local bibliographic data number: '${text}'`);
  return n;
}

export const v2LbdRoutes: Route[] = [
  {
    method: "POST",
    pattern: LBDS,
    style: "v2",
    op: "manage_institution_lbds",
    handle: async ({ ctx, env, caller }) => {
      const format = v2Format(ctx);
      return v2Record(201, createLbd(env.state, caller.symbol, await readRecord(ctx, "v2")).record, format);
    },
  },
  {
    method: "GET",
    pattern: `${LBDS}/:id`,
    style: "v2",
    op: "manage_institution_lbds",
    handle: ({ ctx, env, caller, params }) =>
      v2Record(200, readLbd(env.state, caller.symbol, requireLbdId(params.id)).record, v2Format(ctx)),
  },
  {
    method: "PUT",
    pattern: `${LBDS}/:id`,
    style: "v2",
    op: "manage_institution_lbds",
    handle: async ({ ctx, env, caller, params }) => {
      const format = v2Format(ctx);
      const lbd = replaceLbd(env.state, caller.symbol, await readRecord(ctx, "v2"), requireLbdId(params.id));
      return v2Record(200, lbd.record, format);
    },
  },
  {
    method: "DELETE",
    pattern: `${LBDS}/:id`,
    style: "v2",
    op: "manage_institution_lbds",
    handle: ({ ctx, env, caller, params }) =>
      v2Record(200, deleteLbd(env.state, caller.symbol, requireLbdId(params.id)).record, v2Format(ctx)),
  },
];
