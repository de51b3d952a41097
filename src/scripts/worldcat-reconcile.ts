import { defineScript } from "../engine/script.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { connect } from "./worldcat/connect.js";
import { numberSource } from "./worldcat/input.js";
import { withLookahead } from "./worldcat/lookahead.js";
import { COMMON_PARAMETERS, commonValues, inputParameter } from "./worldcat/params.js";
import { listSinks, reconcileHandler, reconcileSource, statusLookup } from "./worldcat/reconcile-plan.js";

/**
 * A holdings reconciliation the institution runs itself, without a reclamation project: the local
 * catalogue's numbers (MARC or a list) against the institution's WorldCat holdings (a list exported from
 * OCLC's collection manager with --holdings, or else the holding status read number by number). Writes
 * to-set.txt (in the catalogue, not held) and to-unset.txt (held, not in the catalogue; only with --holdings)
 * and the report; --apply sets and unsets them in the same process with worldcat-holdings' rules.
 */
export const worldcatReconcile = defineScript({
  name: "worldcat-reconcile",
  description: "Reconciles the local catalogue's OCLC numbers with the institution's WorldCat holdings",
  parameters: [
    inputParameter("the local catalogue's OCLC numbers: MARC records, one per line, or a CSV column"),
    {
      name: "-H",
      nameLong: "--holdings",
      type: "file",
      description:
        "the institution's WorldCat holdings (collection manager export: numbers, or CSV with OCLC Number)",
    },
    {
      name: "-x",
      nameLong: "--apply",
      type: "boolean",
      description: "set to-set and unset to-unset in the same run (no cascade)",
    },
    ...COMMON_PARAMETERS,
  ],
  async run(ctx) {
    const common = commonValues(ctx.params);
    const name = String(ctx.params.input);
    const local = await numberSource(ctx.input(name), name, { log: ctx.log });
    const hname = typeof ctx.params.holdings === "string" ? ctx.params.holdings : undefined;
    const worldcat = hname ? await numberSource(ctx.input(hname), hname, { log: ctx.log }) : undefined;
    const conn = await connect(ctx);
    // The catalogue's numbers and their current numbers (merged records), 10 per request, before the batch.
    const localNumbers = new Set<string>();
    for await (const e of local.entries()) if (e.payload !== undefined) localNumbers.add(e.payload);
    const localCurrent = new Set<string>();
    const all = [...localNumbers];
    for (let i = 0; i < all.length; i += 80) {
      ctx.signal.throwIfAborted();
      for (const c of await conn.client.bibs.current(all.slice(i, i + 80), ctx.signal))
        localCurrent.add(c.current);
    }
    ctx.log.info(
      `${name}: ${localNumbers.size} number(s), ${localCurrent.size} current; ${hname ? `compared with ${hname}` : "holding status read number by number (no to-unset without --holdings)"}`,
    );
    const lists = listSinks(ctx.output("to-set.txt", "to-set"), ctx.output("to-unset.txt", "to-unset"));
    try {
      const summary = await runWorldCatBatch(ctx, conn, common, {
        source: withLookahead(reconcileSource(local, worldcat, localNumbers), statusLookup(conn.client)),
        action: "reconcile",
        onReported: (_position, _item, result) => lists.reported(result),
        handle: reconcileHandler(conn.client, ctx.params.apply === true, localCurrent),
      });
      return batchResult(summary);
    } finally {
      const n = await lists.close();
      ctx.log.info(`to-set.txt: ${n.sets} number(s); to-unset.txt: ${n.unsets} number(s)`);
    }
  },
});
