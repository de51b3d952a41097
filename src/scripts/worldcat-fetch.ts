import { defineScript } from "../engine/script.js";
import type { MarcFormat } from "../marc/index.js";
import { oclcNumberOf } from "../marc/index.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { connect } from "./worldcat/connect.js";
import { RECORD_FORMATS } from "./worldcat/formats.js";
import { checkNumberInput, numberSource } from "./worldcat/input.js";
import { resultOfError } from "./worldcat/item-error.js";
import { COLUMN_PARAMETER, COMMON_PARAMETERS, commonValues, inputParameter } from "./worldcat/params.js";
import { openRecordSink } from "./worldcat/record-sink.js";

/**
 * Reads the master records of a list of OCLC numbers into one MARC file, records.<ext>, in the order of the
 * input (items that failed are left out; their rows say why). Merged numbers give the current record; the
 * report shows both numbers.
 *
 * Resume: the new run's records.<ext> holds the records of the items it reports, in input order; the items
 * the earlier run reported are in that run's records.<ext>. Records the earlier run had fetched but not yet
 * reported (answers that came ahead of an earlier item's) were never written: those few are fetched again.
 */
export const worldcatFetch = defineScript({
  name: "worldcat-fetch",
  description: "Reads WorldCat master records for a list of OCLC numbers into a MARC file",
  parameters: [
    inputParameter("OCLC numbers: one per line, a CSV column, or MARC records (001/035)"),
    {
      name: "-f",
      nameLong: "--format",
      type: "enum",
      values: RECORD_FORMATS,
      default: "iso2709",
      description: "format of records.<ext>",
    },
    COLUMN_PARAMETER,
    ...COMMON_PARAMETERS,
  ],
  preflight: (ctx) => checkNumberInput(ctx),
  async run(ctx) {
    const common = commonValues(ctx.params);
    const source = await numberSource(ctx.input(String(ctx.params.input)), String(ctx.params.input), {
      column: typeof ctx.params.column === "string" ? ctx.params.column : undefined,
      log: ctx.log,
    });
    const conn = await connect(ctx);
    const sink = openRecordSink(ctx, String(ctx.params.format) as MarcFormat);
    if (common.resumeFrom !== undefined) {
      ctx.log.info(
        `records of the items process ${common.resumeFrom} reported are in its own ${sink.name}; this one has the rest`,
      );
    }
    try {
      const summary = await runWorldCatBatch(ctx, conn, common, {
        source,
        action: "read",
        duplicates: "flag",
        // Fetched records live only in memory until reported: a resumed run fetches unreported ones again.
        keptResults: "redo",
        onReported: sink.reported,
        handle: async (item, env) => {
          try {
            const record = await conn.client.bibs.read(item.payload, env.signal);
            sink.keep(item.position, record);
            const current = oclcNumberOf(record)?.number ?? item.payload;
            const merged = current === item.payload ? "" : `; ${item.payload} was merged into ${current}`;
            return { outcome: "ok", current, message: `${record.title() ?? "(no title)"}${merged}` };
          } catch (err) {
            return resultOfError(err, env, { requested: item.payload });
          }
        },
      });
      return batchResult(summary);
    } finally {
      ctx.log.info(`${sink.name}: ${await sink.close()} record(s)`);
    }
  },
});
