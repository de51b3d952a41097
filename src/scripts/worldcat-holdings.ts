import { defineScript, type ScriptContext } from "../engine/script.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { connect } from "./worldcat/connect.js";
import { checkHoldingCode, preflightHoldingCode } from "./worldcat/holding-code.js";
import { type HoldingsPlan, holdingsHandler, stateLookup } from "./worldcat/holdings-plan.js";
import { checkNumberInput, numberSource } from "./worldcat/input.js";
import { withLookahead } from "./worldcat/lookahead.js";
import { moveCsvSource, moveHandler, singleMove } from "./worldcat/move-plan.js";
import {
  COLUMN_PARAMETER,
  COMMON_PARAMETERS,
  type CommonValues,
  commonValues,
  inputParameter,
} from "./worldcat/params.js";

/**
 * Sets or unsets the institution's holdings on a list of OCLC numbers (text, CSV or MARC). Merged numbers
 * are acted on at their current number and both are reported; `--only-changes` reads the holding status
 * first and skips numbers already in the wanted state. `--action move --from-number A --to-number B` (or a
 * two-column CSV) moves holdings, LBD and LHRs from A to B, each item ok only once holdings/current shows it.
 */
export const worldcatHoldings = defineScript({
  name: "worldcat-holdings",
  description: "Sets or unsets WorldCat holdings for a list of OCLC numbers (text, CSV or MARC)",
  parameters: [
    {
      name: "-a",
      nameLong: "--action",
      type: "enum",
      values: ["set", "unset", "move"],
      required: true,
      description: "set, unset, or move (holdings, LBD and LHRs from one record to another)",
    },
    {
      name: "-F",
      nameLong: "--from-number",
      type: "string",
      description: "move: the record the holding is on now",
    },
    {
      name: "-T",
      nameLong: "--to-number",
      type: "string",
      description: "move: the record to move it to",
    },
    {
      ...inputParameter(
        "OCLC numbers: one per line, a CSV column (ocn/oclc/OCLC Number/number, or --column), or MARC records; move: two columns from,to",
      ),
      required: false,
    },
    {
      name: "-l",
      nameLong: "--holding-code",
      type: "string",
      description:
        "holding library code (049); uses the retired Metadata API 1.0 (OCLC switched it off in April 2024)",
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
  preflight: async (ctx) => {
    if (ctx.params.action === "move") {
      const pair = ctx.params.fromNumber !== undefined || ctx.params.toNumber !== undefined;
      if (pair && (ctx.params.fromNumber === undefined || ctx.params.toNumber === undefined))
        ctx.refuse(
          ctx.params.fromNumber === undefined ? "--from-number" : "--to-number",
          "a move needs both --from-number and --to-number",
        );
      if (pair && ctx.params.input !== undefined)
        ctx.refuse(
          "--input",
          "give either --from-number/--to-number or --input (a two-column CSV), not both",
        );
      if (!pair && ctx.params.input === undefined)
        ctx.refuse(
          "--input",
          "a move needs --from-number A --to-number B, or --input with two columns (from,to)",
        );
      return;
    }
    if (ctx.params.input === undefined) ctx.refuse("--input", "required");
    await checkNumberInput(ctx);
    await preflightHoldingCode(ctx);
  },
  async run(ctx) {
    const common = commonValues(ctx.params);
    if (ctx.params.action === "move") return runMove(ctx, common);
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
      // A number twice in the list is done once; the second row says "duplicate of line 4" (issue 17).
      duplicates: "flag",
      handle: holdingsHandler(conn.client, plan),
    });
    return batchResult(summary);
  },
});

/** --action move: one pair from the command line or a two-column CSV; each move confirmed through holdings/current. */
async function runMove(ctx: ScriptContext, common: CommonValues) {
  const source =
    ctx.params.fromNumber !== undefined
      ? singleMove(String(ctx.params.fromNumber), String(ctx.params.toNumber))
      : moveCsvSource(ctx.input(String(ctx.params.input)), String(ctx.params.input));
  const conn = await connect(ctx);
  const summary = await runWorldCatBatch(ctx, conn, common, {
    source,
    action: "move",
    handle: moveHandler(conn.client, {
      writes: ctx.services.unsettledWrites,
      confirmMs: 120_000,
      pollMs: 1000,
    }),
  });
  return batchResult(summary);
}
