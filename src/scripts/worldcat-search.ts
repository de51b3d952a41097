import { type BatchSource, textNumberSource } from "../batch/index.js";
import { csvNumberSource } from "../batch/sources/csv.js";
import { defineScript } from "../engine/script.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { type CandidateSink, openCandidateSink } from "./worldcat/candidates.js";
import { connect } from "./worldcat/connect.js";
import { WorldCatScriptError } from "./worldcat/errors.js";
import { detectInput } from "./worldcat/input.js";
import { resultOfError } from "./worldcat/item-error.js";
import { COMMON_PARAMETERS, commonValues, inputParameter } from "./worldcat/params.js";
import { toQuery } from "./worldcat/search-query.js";

const asIs = (s: string) => (s.trim() === "" ? undefined : s.trim());

/**
 * The copy-cataloguing look-up: a list of queries (ISBNs, ISSNs, OCLC numbers or `ti:`/`au:` queries, one per
 * line or a CSV column) through brief-bibs search; candidates.csv gets one row per candidate (rank, number,
 * title, creator, date, publisher, ISBNs, format), report.csv one row per query. Reads only.
 */
export const worldcatSearch = defineScript({
  name: "worldcat-search",
  description: "Looks up a list of ISBNs, ISSNs, OCLC numbers or ti:/au: queries; one row per candidate",
  parameters: [
    inputParameter("queries: one per line, or a CSV (the first column)"),
    {
      name: "-m",
      nameLong: "--limit",
      type: "integer",
      default: 10,
      description: "most candidates per query (1-50)",
    },
    ...COMMON_PARAMETERS,
  ],
  async run(ctx) {
    const common = commonValues(ctx.params);
    const limit = Number(ctx.params.limit ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50)
      throw new WorldCatScriptError(`--limit must be from 1 to 50 (got ${ctx.params.limit})`);
    const name = String(ctx.params.input);
    const path = ctx.input(name);
    const kind = (await detectInput(path, name)).kind;
    if (kind === "marc") throw new WorldCatScriptError(`${name}: a list of queries, not MARC records`);
    const source = (
      kind === "csv"
        ? csvNumberSource(path, { name, parse: asIs, column: "1" })
        : textNumberSource(path, { name, parse: asIs })
    ) as BatchSource<string, unknown>;
    const conn = await connect(ctx);
    const sink: CandidateSink = openCandidateSink(ctx);
    try {
      const summary = await runWorldCatBatch(ctx, conn, common, {
        source,
        action: "search",
        keptResults: "redo",
        onReported: (position) => sink.reported(position),
        handle: async (item, env) => {
          const { q, ocn } = toQuery(item.payload);
          try {
            const r = await conn.client.search.briefBibs({ q, limit }, env.signal);
            sink.keep(
              item.position,
              item.inputId,
              r.briefRecords.map((brief) => ({ brief, query: q })),
            );
            const first = r.briefRecords[0]?.oclcNumber;
            if (r.briefRecords.length === 0)
              return {
                requested: ocn ?? "",
                outcome: "skipped",
                oclcCode: "NO_CANDIDATES",
                message: `${q}: no candidates`,
              };
            return {
              requested: ocn ?? "",
              current: r.briefRecords.length === 1 ? String(first) : "",
              outcome: "ok",
              message: `${q}: ${r.briefRecords.length} of ${r.numberOfRecords} candidate(s)`,
            };
          } catch (err) {
            return resultOfError(err, env, { requested: ocn ?? "", message: q });
          }
        },
      });
      return batchResult(summary);
    } finally {
      ctx.log.info(`candidates.csv: ${await sink.close()} row(s)`);
    }
  },
});
