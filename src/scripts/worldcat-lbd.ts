import { defineScript } from "../engine/script.js";
import type { MarcFormat, MarcRecord } from "../marc/index.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { connect } from "./worldcat/connect.js";
import { RECORD_FORMATS } from "./worldcat/formats.js";
import { checkNumberInput, numberSource, recordSource } from "./worldcat/input.js";
import { type LbdAction, lbdIdHandler, lbdRecordHandler } from "./worldcat/lbd-plan.js";
import { withLbdSkeleton } from "./worldcat/lbd-skeleton.js";
import { validateInput } from "./worldcat/local-validation.js";
import { COLUMN_PARAMETER, COMMON_PARAMETERS, commonValues, inputParameter } from "./worldcat/params.js";
import { openRecordSink } from "./worldcat/record-sink.js";

/**
 * Creates, replaces, reads or deletes local bibliographic data. Create and replace take MARC records (a
 * record with only a master number and local fields gets its 004/935/940 skeleton) and validate them all
 * before sending any; read and delete take a list of local bib data ids; read writes records.<ext> in the
 * order of the input (resumed: the rest of it, as worldcat-fetch does, records read but not yet reported
 * by the earlier run read again). A replace or delete whose earlier attempt may have been applied is settled,
 * not failed (worldcat/lbd-replace.ts, worldcat/lbd-delete.ts).
 */
export const worldcatLbd = defineScript({
  name: "worldcat-lbd",
  description: "Creates, replaces, reads or deletes WorldCat local bibliographic data",
  parameters: [
    {
      name: "-a",
      nameLong: "--action",
      type: "enum",
      values: ["create", "replace", "delete", "read"],
      required: true,
      description: "create, replace, delete or read",
    },
    inputParameter(
      "create/replace: MARC records; read/delete: local bib data ids, one per line or a CSV column",
    ),
    {
      name: "-f",
      nameLong: "--format",
      type: "enum",
      values: RECORD_FORMATS,
      default: "iso2709",
      description: "read: format of records.<ext>",
    },
    COLUMN_PARAMETER,
    ...COMMON_PARAMETERS,
  ],
  async preflight(ctx) {
    if (ctx.params.action === "read" || ctx.params.action === "delete") await checkNumberInput(ctx);
  },
  async run(ctx) {
    const common = commonValues(ctx.params);
    const action = String(ctx.params.action) as LbdAction;
    const name = String(ctx.params.input);
    const path = ctx.input(name);
    if (action === "read" || action === "delete") {
      const source = await numberSource(path, name, {
        column: typeof ctx.params.column === "string" ? ctx.params.column : undefined,
        log: ctx.log,
      });
      const conn = await connect(ctx);
      const sink =
        action === "read" ? openRecordSink(ctx, String(ctx.params.format) as MarcFormat) : undefined;
      try {
        const summary = await runWorldCatBatch(ctx, conn, common, {
          source,
          action,
          ...(sink && { keptResults: "redo" as const, onReported: sink.reported }),
          handle: lbdIdHandler(conn.client, action, sink, ctx.services.unsettledWrites),
        });
        return batchResult(summary);
      } finally {
        if (sink) ctx.log.info(`${sink.name}: ${await sink.close()} record(s)`);
      }
    }
    const { source, format } = await recordSource(path, name);
    const conn = await connect(ctx);
    const symbol = conn.client.account.symbol;
    const prepare = (r: MarcRecord) => (action === "create" ? withLbdSkeleton(r, symbol) : r);
    await validateInput(path, name, format, "lbd", ctx.log, ctx.signal, prepare);
    const summary = await runWorldCatBatch(ctx, conn, common, {
      source,
      action,
      handle: lbdRecordHandler(conn.client, action, prepare),
    });
    return batchResult(summary);
  },
});
