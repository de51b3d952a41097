import { writeFileSync } from "node:fs";
import { csvRow } from "../batch/csv.js";
import { defineScript } from "../engine/script.js";
import { connect } from "./worldcat/connect.js";
import { COMMON_PARAMETERS, commonValues } from "./worldcat/params.js";

/** Lists the holding library codes of the account's institution: report.csv (code, name) and log lines. */
export const worldcatHoldingCodes = defineScript({
  name: "worldcat-holding-codes",
  description: "Lists the holding library codes of a service account's institution",
  // The common WorldCat parameters are taken like every WorldCat script's (issue 6): this script only reads,
  // in one request, so --dry-run, --concurrency and --resume change nothing.
  parameters: [...COMMON_PARAMETERS],
  async run(ctx) {
    const common = commonValues(ctx.params);
    if (common.dryRun) ctx.log.info("dry run: this script only reads; nothing is written to WorldCat");
    const { client } = await connect(ctx);
    const codes = await client.holdings.codes(ctx.signal);
    const lines = codes.map((c) => csvRow([c.code, c.name ?? ""]));
    // With a byte order mark, as every report: Excel reads accented names right.
    writeFileSync(ctx.output("report.csv", "report"), `\uFEFF${csvRow(["code", "name"])}${lines.join("")}`);
    for (const c of codes) ctx.log.info(`${c.code}\t${c.name ?? ""}`);
    ctx.log.info(`${codes.length} holding library code(s) for ${client.account.symbol ?? client.label}`);
    return { summary: { account: client.label, codes } };
  },
});
