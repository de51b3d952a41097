import { defineScript } from "../engine/script.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { connect } from "./worldcat/connect.js";
import { WorldCatScriptError } from "./worldcat/errors.js";
import { type HoldingsPlan, holdingsHandler, stateLookup } from "./worldcat/holdings-plan.js";
import { checkNumberInput, numberSource } from "./worldcat/input.js";
import { withLookahead } from "./worldcat/lookahead.js";
import { COLUMN_PARAMETER, COMMON_PARAMETERS, commonValues, inputParameter } from "./worldcat/params.js";

/**
 * Sets or unsets the institution's holdings on a list of OCLC numbers (text, CSV or MARC). Merged numbers
 * are acted on at their current number and both are reported; `--only-changes` reads the holding status
 * first and skips numbers already in the wanted state.
 */
export const worldcatHoldings = defineScript({
  name: "worldcat-holdings",
  description: "Sets or unsets WorldCat holdings for a list of OCLC numbers (text, CSV or MARC)",
  parameters: [
    {
      name: "-a",
      nameLong: "--action",
      type: "enum",
      values: ["set", "unset"],
      required: true,
      description: "set or unset",
    },
    inputParameter(
      "OCLC numbers: one per line, a CSV column (ocn/oclc/OCLC Number/number, or --column), or MARC records",
    ),
    {
      name: "-l",
      nameLong: "--holding-code",
      type: "string",
      description: "holding library code (049); uses the first API",
    },
    {
      name: "-k",
      nameLong: "--cascade",
      type: "boolean",
      description: "unset: also delete local bibliographic data attached",
    },
    {
      name: "-o",
      nameLong: "--only-changes",
      type: "boolean",
      description: "read the holding status first; skip numbers already in the wanted state",
    },
    COLUMN_PARAMETER,
    ...COMMON_PARAMETERS,
  ],
  preflight: (ctx) => checkNumberInput(ctx),
  async run(ctx) {
    const common = commonValues(ctx.params);
    const plan: HoldingsPlan = {
      action: ctx.params.action === "unset" ? "unset" : "set",
      onlyChanges: ctx.params.onlyChanges === true,
      cascade: ctx.params.cascade === true,
      holdingCode:
        typeof ctx.params.holdingCode === "string" && ctx.params.holdingCode.trim() !== ""
          ? ctx.params.holdingCode.trim()
          : undefined,
      dryRun: common.dryRun,
    };
    const source = await numberSource(ctx.input(String(ctx.params.input)), String(ctx.params.input), {
      column: typeof ctx.params.column === "string" ? ctx.params.column : undefined,
      log: ctx.log,
    });
    const conn = await connect(ctx);
    if (plan.holdingCode) await checkHoldingCode(conn.client, plan.holdingCode);
    const summary = await runWorldCatBatch(ctx, conn, common, {
      source: withLookahead(source, stateLookup(conn.client, plan)),
      action: plan.action,
      handle: holdingsHandler(conn.client, plan),
    });
    return batchResult(summary);
  },
});

async function checkHoldingCode(
  wc: Awaited<ReturnType<typeof connect>>["client"],
  code: string,
): Promise<void> {
  const codes = await wc.holdings.codes();
  if (!codes.some((c) => c.code === code)) {
    throw new WorldCatScriptError(
      `--holding-code ${code} is not one of ${wc.label}'s holding library codes (${codes.map((c) => c.code).join(", ") || "none"})`,
    );
  }
}
