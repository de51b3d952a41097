import { writeFileSync } from "node:fs";
import { csvRow } from "../batch/csv.js";
import { defineScript } from "../engine/script.js";
import { connect } from "./worldcat/connect.js";
import { ACCOUNT_PARAMETER } from "./worldcat/params.js";

/** Lists the holding library codes of the account's institution: report.csv (code, name) and log lines. */
export const worldcatHoldingCodes = defineScript({
  name: "worldcat-holding-codes",
  description: "Lists the holding library codes of a service account's institution",
  // Only --account: the script reads in one request, so --dry-run, --concurrency and --resume would change
  // nothing; an option that is offered but ignored misleads (issue 17 item 6), so they are refused as unknown.
  parameters: [ACCOUNT_PARAMETER],
  async run(ctx) {
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
