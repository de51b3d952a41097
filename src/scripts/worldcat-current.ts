import { defineScript } from "../engine/script.js";
import type { MarcFormat } from "../marc/index.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { connect } from "./worldcat/connect.js";
import { currentHandler, currentLookup } from "./worldcat/current-plan.js";
import { RECORD_FORMATS } from "./worldcat/formats.js";
import { recordSource } from "./worldcat/input.js";
import { withLookahead } from "./worldcat/lookahead.js";
import { COMMON_PARAMETERS, commonValues, inputParameter } from "./worldcat/params.js";
import { openRecordSink } from "./worldcat/record-sink.js";

/**
 * "Update local records with current OCLC numbers", the step OCLC's guide asks for before any batch holdings
 * work: reads local records (any MARC format), asks WorldCat the current number of every 035 (OCoLC) (10 per
 * request), rewrites merged ones (the old number kept in 035 $z) and writes every record to records.<ext> in
 * input order; the report says what changed. Nothing is written to WorldCat.
 */
export const worldcatCurrent = defineScript({
  name: "worldcat-current",
  description: "Updates local records with current OCLC numbers (merged records; old numbers kept in 035 $z)",
  parameters: [
    inputParameter("local records (ISO 2709, MARCXML, MARC-in-JSON or .mrk)"),
    {
      name: "-f",
      nameLong: "--format",
      type: "enum",
      values: RECORD_FORMATS,
      description: "format of records.<ext> (default: the input's)",
    },
    ...COMMON_PARAMETERS,
  ],
  async run(ctx) {
    const common = commonValues(ctx.params);
    const name = String(ctx.params.input);
    const { source, format } = await recordSource(ctx.input(name), name);
    const conn = await connect(ctx);
    const out = (ctx.params.format as MarcFormat | undefined) ?? format;
    const sink = openRecordSink(ctx, out, { all: true });
    try {
      const summary = await runWorldCatBatch(ctx, conn, common, {
        source: withLookahead(source, currentLookup(conn.client)),
        action: "check",
        keptResults: "redo",
        onReported: sink.reported,
        handle: currentHandler(sink),
      });
      return batchResult(summary);
    } finally {
      ctx.log.info(`${sink.name}: ${await sink.close()} record(s)`);
    }
  },
});
