import type { ScriptContext } from "../engine/script.js";
import { defineScript } from "../engine/script.js";
import { createOaiClient } from "../oai/client.js";
import { chooseFormat, readerFor } from "../oai/formats/index.js";
import { createHarvester } from "../oai/harvester.js";
import { loadProfile } from "../oai/profile.js";
import { type SyncMode, syncHandler } from "./repository/handler.js";
import { copyHarvest, type StagedHarvest, stageHarvest } from "./repository/harvest-file.js";
import { openSyncOutputs } from "./repository/outputs.js";
import { harvestSource } from "./repository/source.js";
import { moveWatermark, watermarkOf } from "./repository/watermark.js";
import { batchResult, resumePoint, runWorldCatBatch } from "./worldcat/batch.js";
import { connect } from "./worldcat/connect.js";
import { WorldCatScriptError } from "./worldcat/errors.js";
import { checkHoldingCode, preflightHoldingCode } from "./worldcat/holding-code.js";
import { COMMON_PARAMETERS, commonValues } from "./worldcat/params.js";

/**
 * Repository -> WorldCat sync: harvests theses over OAI-PMH (since the schedule's watermark, or --from, or
 * one --identifier), crosswalks each with the thesis profile and validates it locally, then finds or creates
 * the WorldCat record and sets the holding. Deleted items are reported, never deleted. On COMPLETED the
 * schedule's watermark moves to the harvest's responseDate. Outputs: report.csv, records.mrc/.xml,
 * repository-oclc-numbers.csv.
 */
export const repositoryToWorldcat = defineScript({
  name: "repository-to-worldcat",
  description: "Harvests new theses from a repository over OAI-PMH and catalogues them in WorldCat",
  parameters: [
    {
      name: "-e",
      nameLong: "--endpoint",
      type: "string",
      required: true,
      description:
        "the repository's OAI-PMH base URL (`sandbox`: the demo repository of the sandbox account)",
    },
    {
      name: "-S",
      nameLong: "--set",
      type: "string",
      description: "OAI set to harvest (e.g. col_123456789_2)",
    },
    {
      name: "-f",
      nameLong: "--format",
      type: "string",
      description:
        "metadataPrefix (default: the richest the repository offers: qdc, dim, mods, marcxml, oai_dc)",
    },
    {
      name: "-F",
      nameLong: "--from",
      type: "string",
      description:
        "harvest items changed since (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ; default: the schedule's watermark)",
    },
    {
      name: "-u",
      nameLong: "--until",
      type: "string",
      description: "harvest items changed until (inclusive)",
    },
    {
      name: "-I",
      nameLong: "--identifier",
      type: "string",
      description: "one item by its OAI identifier (GetRecord)",
    },
    {
      name: "-p",
      nameLong: "--profile",
      type: "file",
      description: "crosswalk profile (YAML; default: the built-in thesis profile)",
    },
    {
      name: "-H",
      nameLong: "--holding-code",
      type: "string",
      description: "holding library code for the holdings set",
    },
    {
      name: "-m",
      nameLong: "--mode",
      type: "enum",
      values: ["add-new", "update"],
      default: "add-new",
      description:
        "add-new: create what WorldCat lacks; update: also replace records this institution created",
    },
    ...COMMON_PARAMETERS,
  ],
  // A holding code the account does not have would fail every item at its last step: refused up front.
  preflight: (ctx) => preflightHoldingCode(ctx),
  async run(ctx) {
    const common = commonValues(ctx.params);
    const p = ctx.params;
    const str = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);
    const identifier = str(p.identifier);
    const from = str(p.from) ?? (identifier ? undefined : watermarkOf(ctx.schedule));
    if (!identifier && from === undefined && !ctx.schedule) {
      throw new WorldCatScriptError(
        "--from is required without a schedule (or give one --identifier)",
        "MISSING_FROM",
      );
    }
    const profileName = str(p.profile);
    const profile = await loadProfile(profileName ? ctx.input(profileName) : undefined, profileName);
    const conn = await connect(ctx);
    const symbol = profile.institution.symbol || conn.client.account.symbol || "";
    if (symbol === "")
      throw new WorldCatScriptError(
        "no institution symbol: set institution.symbol in the profile or symbol in the account",
      );
    const holdingCode = str(p.holdingCode);
    if (holdingCode) await checkHoldingCode(conn.client, holdingCode);
    const endpoint = endpointOf(String(p.endpoint), conn.client.account.sandboxUrl);
    const harvest = await harvestOrResume(ctx, common.resumeFrom, async () => {
      const harvester = createHarvester(
        createOaiClient({ baseUrl: endpoint, onRetry: (m) => ctx.log.warn(`OAI-PMH: ${m}`) }),
      );
      const identify = identifier ? undefined : await harvester.identify(ctx.signal);
      const formats = await harvester.listMetadataFormats(undefined, ctx.signal);
      const format = str(p.format) ?? chooseFormat(formats);
      if (!format)
        throw new WorldCatScriptError(
          `${endpoint} offers none of the formats we read (qdc, dim, mods, marcxml, oai_dc)`,
        );
      if (!readerFor(format, formats))
        ctx.log.warn(`format ${format} is not one we know: read as Dublin Core`);
      ctx.log.info(
        identifier
          ? `GetRecord ${identifier} in ${format}`
          : `harvest ${identify?.repositoryName ?? ""} in ${format}${p.set ? ` set ${p.set}` : ""}${from ? ` from ${from}` : " (everything)"}${p.until ? ` until ${p.until}` : ""}`,
      );
      return stageHarvest(ctx, {
        harvester,
        format,
        formats,
        profile,
        symbol,
        identifier,
        set: str(p.set),
        from,
        until: str(p.until),
        granularity: identify?.granularity,
      });
    });
    const outputs = openSyncOutputs(ctx);
    const saving: ScriptContext = {
      ...ctx,
      // The batch's checkpoint carries the staged harvest, so a resumed run works through the same items.
      checkpoint: {
        get: () => ctx.checkpoint.get(),
        of: (id) => ctx.checkpoint.of(id),
        save: (s) => ctx.checkpoint.save({ ...(s as object), harvest }),
        keep: (path) => ctx.checkpoint.keep(path),
        read: (name) => ctx.checkpoint.read(name),
      },
    };
    let summary: Awaited<ReturnType<typeof runWorldCatBatch>>;
    try {
      summary = await runWorldCatBatch(saving, conn, common, {
        source: harvestSource(harvest.path),
        action: "sync",
        onReported: outputs.reported,
        keptResults: "redo",
        handle: syncHandler(conn.client, {
          mode: String(p.mode ?? "add-new") as SyncMode,
          symbol,
          holdingCode,
          writes: ctx.services.unsettledWrites,
          history: ctx.services.writeHistory,
          keep: outputs.keep,
        }),
      });
    } finally {
      const written = await outputs.close();
      ctx.log.info(
        `${written.records} record(s) written to records.mrc and records.xml; ${written.numbers} row(s) in repository-oclc-numbers.csv`,
      );
    }
    const result = batchResult(summary);
    if (!result.failed && !identifier && !common.dryRun) moveWatermark(ctx.schedule, harvest.responseDate);
    return { ...result, summary: { ...(summary as object), harvest: { ...harvest, path: undefined } } };
  },
});

/**
 * `--endpoint sandbox`: the demo repository of the sandbox the account points at (a demo or a sample schedule
 * with nothing external); any other value is the repository's OAI-PMH base URL.
 */
function endpointOf(value: string, sandboxUrl: string | undefined): string {
  if (value !== "sandbox") return value;
  if (!sandboxUrl)
    throw new WorldCatScriptError("--endpoint sandbox needs a sandbox account (--account sandbox)");
  return `${sandboxUrl.replace(/\/$/, "")}/oai/request`;
}

/** The staged harvest of the process being resumed (its checkpoint names it), else a new harvest. */
async function harvestOrResume(
  ctx: ScriptContext,
  resumeFrom: number | undefined,
  harvest: () => Promise<StagedHarvest>,
): Promise<StagedHarvest> {
  const from = await resumePoint(ctx, { resumeFrom });
  if (from !== undefined) {
    const cp = await ctx.checkpoint.of<{ harvest?: StagedHarvest }>(from);
    if (cp?.harvest) {
      ctx.log.info(
        `resuming process ${from}: its harvest of ${cp.harvest.count} record(s) (responseDate ${cp.harvest.responseDate})`,
      );
      return copyHarvest(ctx, cp.harvest);
    }
  }
  return harvest();
}
