import { defineScript } from "../engine/script.js";
import { writeAssignedRecords } from "./worldcat/assigned-records.js";
import { batchResult, runWorldCatBatch } from "./worldcat/batch.js";
import { type BibsAction, bibsHandler, PROFILE_OF } from "./worldcat/bibs-plan.js";
import { connect } from "./worldcat/connect.js";
import { RECORD_FORMATS } from "./worldcat/formats.js";
import { recordSource } from "./worldcat/input.js";
import { validateInput } from "./worldcat/local-validation.js";
import { COMMON_PARAMETERS, commonValues, inputParameter } from "./worldcat/params.js";

/**
 * Creates, replaces or validates WorldCat master records from a MARC file (any format). Every record is
 * validated locally first: one invalid record stops the batch before anything is sent. A record found in
 * WorldCat or in Nightshift's history of creates is reported `exists`, not created (`--allow-duplicates`
 * creates it anyway). Creates are never made twice (unknown outcomes are settled by looking for the record); replaces refuse records changed in
 * WorldCat since they were read (STALE_005), except when WorldCat holds what we sent after an attempt of ours
 * that may have been applied (a timed-out PUT, an item a stopped run had in flight): "replace (already
 * applied)", ok. A create batch writes records.<fmt> with the numbers assigned.
 */
export const worldcatBibs = defineScript({
  name: "worldcat-bibs",
  description: "Creates, replaces or validates WorldCat master records from a MARC file",
  parameters: [
    {
      name: "-a",
      nameLong: "--action",
      type: "enum",
      values: ["create", "replace", "validate"],
      required: true,
      description: "create, replace or validate",
    },
    inputParameter("MARC records (ISO 2709, MARCXML, MARC-in-JSON or .mrk)"),
    {
      name: "-v",
      nameLong: "--oclc-validate",
      type: "boolean",
      description: "also validate each record with OCLC's validate endpoint before writing it",
    },
    {
      name: "-D",
      nameLong: "--allow-duplicates",
      type: "boolean",
      description:
        "create: create even a record found in WorldCat (035, match, ISBN/ISSN, title/author/date) or created by Nightshift before",
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
    const action = String(ctx.params.action) as BibsAction;
    const name = String(ctx.params.input);
    const path = ctx.input(name);
    const { source, format } = await recordSource(path, name);
    if (action !== "validate")
      await validateInput(path, name, format, PROFILE_OF[action], ctx.log, ctx.signal);
    const conn = await connect(ctx);
    const summary = await runWorldCatBatch(ctx, conn, common, {
      source,
      action,
      handle: bibsHandler(conn.client, {
        action,
        oclcValidate: ctx.params.oclcValidate === true,
        writes: ctx.services.unsettledWrites,
        history: ctx.services.writeHistory,
        allowDuplicates: ctx.params.allowDuplicates === true,
        inputName: name,
      }),
    });
    if (action === "create" && !common.dryRun) {
      const out = (ctx.params.format as typeof format | undefined) ?? format;
      await writeAssignedRecords(ctx, path, format, out);
    }
    return batchResult(summary);
  },
});
