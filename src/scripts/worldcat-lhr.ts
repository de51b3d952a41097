import type { CsvRaw } from "../batch/sources/csv.js";
import { defineScript } from "../engine/script.js";
import type { MarcFormat, MarcRecord } from "../marc/index.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { connect } from "./worldcat/connect.js";
import { WorldCatScriptError } from "./worldcat/errors.js";
import { RECORD_FORMATS } from "./worldcat/formats.js";
import { detectInput, numberSource, recordSource } from "./worldcat/input.js";
import {
  type LhrAction,
  lhrCreateHandler,
  lhrIdHandler,
  lhrReplaceHandler,
  recordFromRow,
} from "./worldcat/lhr-plan.js";
import { validateInput } from "./worldcat/local-validation.js";
import { COMMON_PARAMETERS, commonValues, inputParameter } from "./worldcat/params.js";
import { openRecordSink } from "./worldcat/record-sink.js";

/**
 * Creates, replaces, deletes or reads local holdings records (LHR). Create takes MARC 21 holdings records
 * (any MARC format; validated under the `lhr` profile before anything is sent) or a CSV (ocn,
 * holding_location, shelving_location, call_number, barcode, shared_print) from which each MFHD is built;
 * it checks first that the institution holds the record (`--set-holdings` sets it when missing). Replace
 * takes MARC holdings records with 001 (the LHR number) and the current 005; read and delete take LHR numbers.
 */
export const worldcatLhr = defineScript({
  name: "worldcat-lhr",
  description: "Creates, replaces, deletes or reads WorldCat local holdings records (MARC holdings or CSV)",
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
      "create: MARC holdings records or a CSV (ocn,holding_location,shelving_location,call_number,barcode,shared_print); replace: MARC holdings records; read/delete: LHR numbers",
    ),
    {
      name: "-S",
      nameLong: "--set-holdings",
      type: "boolean",
      description: "create: set the holding first where the institution does not hold the record",
    },
    {
      name: "-f",
      nameLong: "--format",
      type: "enum",
      values: RECORD_FORMATS,
      default: "iso2709",
      description: "read: format of records.<ext>",
    },
    ...COMMON_PARAMETERS,
  ],
  async run(ctx) {
    const common = commonValues(ctx.params);
    const action = String(ctx.params.action) as LhrAction;
    const name = String(ctx.params.input);
    const path = ctx.input(name);
    if (action === "read" || action === "delete") {
      const source = await numberSource(path, name);
      const conn = await connect(ctx);
      const sink =
        action === "read" ? openRecordSink(ctx, String(ctx.params.format) as MarcFormat) : undefined;
      try {
        const summary = await runWorldCatBatch(ctx, conn, common, {
          source,
          action,
          ...(sink && { keptResults: "redo" as const, onReported: sink.reported }),
          handle: lhrIdHandler(conn.client, action, sink, ctx.services.unsettledWrites),
        });
        return batchResult(summary);
      } finally {
        if (sink) ctx.log.info(`${sink.name}: ${await sink.close()} record(s)`);
      }
    }
    const input = await detectInput(path, name);
    if (action === "replace") {
      const { source, format } = await recordSource(path, name);
      await validateInput(path, name, format, "lhr", ctx.log, ctx.signal);
      const conn = await connect(ctx);
      const summary = await runWorldCatBatch(ctx, conn, common, {
        source,
        action,
        handle: lhrReplaceHandler(conn.client),
      });
      return batchResult(summary);
    }
    const plan = { setHoldings: ctx.params.setHoldings === true, writes: ctx.services.unsettledWrites };
    if (input.kind === "marc") {
      const { source, format } = await recordSource(path, name);
      await validateInput(path, name, format, "lhr", ctx.log, ctx.signal);
      const conn = await connect(ctx);
      const summary = await runWorldCatBatch(ctx, conn, common, {
        source,
        action,
        handle: lhrCreateHandler(conn.client, plan, (item) => item.payload as MarcRecord),
      });
      return batchResult(summary);
    }
    if (input.kind !== "csv")
      throw new WorldCatScriptError(`${name}: create takes MARC holdings records or a CSV, not a plain list`);
    const source = await numberSource(path, name);
    const conn = await connect(ctx);
    // Acting for another institution: 852 $a is left for WorldCat to fill with that institution's symbol.
    const symbol = conn.client.account.context ? undefined : conn.client.account.symbol;
    const summary = await runWorldCatBatch(ctx, conn, common, {
      source,
      action,
      handle: lhrCreateHandler(conn.client, plan, (item) => recordFromRow(item.raw as CsvRaw, symbol)),
    });
    return batchResult(summary);
  },
});
