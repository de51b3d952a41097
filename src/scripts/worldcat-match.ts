import { defineScript } from "../engine/script.js";
import type { MarcFormat } from "../marc/index.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { openCandidateSink } from "./worldcat/candidates.js";
import { connect } from "./worldcat/connect.js";
import { RECORD_FORMATS } from "./worldcat/formats.js";
import { recordSource } from "./worldcat/input.js";
import { matchHandler } from "./worldcat/match-plan.js";
import { COMMON_PARAMETERS, commonValues, inputParameter } from "./worldcat/params.js";
import { openRecordSink } from "./worldcat/record-sink.js";

/**
 * For local bibliographic records without a reliable OCLC number: WorldCat's match, and where it finds
 * nothing a strict search (ISBN, ISSN, LCCN, then title + author + date). candidates.csv lists every
 * candidate with a confidence and the reason; records.<ext> is the input with 035 (OCoLC) set for the
 * confident matches only; --set-holdings sets the holding on those in the same run.
 */
export const worldcatMatch = defineScript({
  name: "worldcat-match",
  description: "Matches local records to WorldCat; sets 035 (OCoLC) on confident matches (and holdings)",
  parameters: [
    inputParameter("local bibliographic records (ISO 2709, MARCXML, MARC-in-JSON or .mrk)"),
    {
      name: "-S",
      nameLong: "--set-holdings",
      type: "boolean",
      description: "set the institution's holding on each confident match",
    },
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
    const records = openRecordSink(ctx, (ctx.params.format as MarcFormat | undefined) ?? format, {
      all: true,
    });
    const candidates = openCandidateSink(ctx);
    try {
      const summary = await runWorldCatBatch(ctx, conn, common, {
        source,
        action: "match",
        keptResults: "redo",
        onReported: (position, item, result) => {
          candidates.reported(position);
          records.reported(position, item, result);
        },
        handle: matchHandler(conn.client, ctx.params.setHoldings === true, records, candidates),
      });
      return batchResult(summary);
    } finally {
      ctx.log.info(
        `${records.name}: ${await records.close()} record(s); candidates.csv: ${await candidates.close()} row(s)`,
      );
    }
  },
});
