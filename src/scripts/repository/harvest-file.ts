/**
 * The harvest, staged: every record of the list (or the one GetRecord) is read into the intermediate shape,
 * crosswalked and validated with src/marc's `create` profile, and written as one JSON line to the process
 * file `harvest.jsonl` before anything is sent to WorldCat. One OAI page is in memory at a time; the batch
 * then reads the file. A resumed run reads its predecessor's file, so it works through the same items.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import type { ScriptContext } from "../../engine/script.js";
import { recordToMarcJson, validate } from "../../marc/index.js";
import type { MarcJsonRecord } from "../../marc/json.js";
import { crosswalk, links } from "../../oai/crosswalk.js";
import { toItem } from "../../oai/formats/index.js";
import type { HarvestedRecord, Harvester, MetadataFormat } from "../../oai/harvester.js";
import type { CrosswalkProfile } from "../../oai/profile.js";

/** One line of harvest.jsonl. */
export interface StagedItem {
  readonly identifier: string;
  readonly datestamp: string;
  readonly deleted: boolean;
  readonly sets: readonly string[];
  /** The handle / DOI / landing page (856 $u), for repository-oclc-numbers.csv. */
  readonly link: string;
  /** The crosswalked record (MARC-in-JSON); absent for deleted items. */
  readonly record?: MarcJsonRecord;
  /** Why the record may not be sent (validation errors with the field). */
  readonly problems?: readonly string[];
}

export interface HarvestRequest {
  readonly harvester: Harvester;
  readonly format: string;
  readonly formats: readonly MetadataFormat[];
  readonly profile: CrosswalkProfile;
  readonly symbol: string;
  /** One item through GetRecord, else a list. */
  readonly identifier?: string;
  readonly set?: string;
  readonly from?: string;
  readonly until?: string;
  readonly granularity?: "YYYY-MM-DD" | "YYYY-MM-DDThh:mm:ssZ";
}

export interface StagedHarvest {
  /** The local file (this process's `harvest.jsonl`). */
  readonly path: string;
  /**
   * Its name kept with the checkpoints (`ctx.checkpoint.keep`): a resumed run on any node reads it through
   * `ctx.checkpoint.read`. Absent in checkpoints of older runs (their `path` is read where it is).
   */
  readonly file?: string;
  readonly responseDate: string;
  readonly count: number;
  readonly deleted: number;
  readonly invalid: number;
}

export async function stageHarvest(ctx: ScriptContext, req: HarvestRequest): Promise<StagedHarvest> {
  const path = ctx.output("harvest.jsonl", "harvest");
  const out = createWriteStream(path);
  const today = new Date();
  let count = 0;
  let deleted = 0;
  let invalid = 0;
  let responseDate = "";
  const stage = async (r: HarvestedRecord) => {
    const staged = stageOne(r, req, today);
    count++;
    if (staged.deleted) deleted++;
    if (staged.problems) {
      invalid++;
      ctx.log.warn(`${staged.identifier}: not sent: ${staged.problems.join("; ")}`);
    }
    if (!out.write(`${JSON.stringify(staged)}\n`)) await once(out, "drain");
    if (count % 100 === 0) ctx.log.info(`harvested ${count} record(s)`);
  };
  try {
    if (req.identifier) {
      const got = await req.harvester.getRecord(req.identifier, req.format, ctx.signal);
      responseDate = got.responseDate;
      await stage(got.record);
    } else {
      const list = req.harvester.listRecords(
        { metadataPrefix: req.format, set: req.set, from: req.from, until: req.until },
        req.granularity,
      );
      for await (const r of list.records(ctx.signal)) await stage(r);
      responseDate = list.responseDate ?? "";
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  ctx.log.info(
    `harvest: ${count} record(s) in ${req.format} (${deleted} deleted, ${invalid} not valid for WorldCat); responseDate ${responseDate}`,
  );
  // Stored with the first checkpoint (PostgreSQL), so a resume needs nothing of this node's disk.
  return { path, file: ctx.checkpoint.keep(path).name, responseDate, count, deleted, invalid };
}

/**
 * A resumed run's copy of its predecessor's staged harvest, as this process's own `harvest.jsonl` (kept in
 * turn): streamed from the file store, so it works on any node.
 */
export async function copyHarvest(ctx: ScriptContext, from: StagedHarvest): Promise<StagedHarvest> {
  if (from.file === undefined) return from;
  const path = ctx.output("harvest.jsonl", "harvest");
  await pipeline(ctx.checkpoint.read(from.file), createWriteStream(path));
  return { ...from, path, file: ctx.checkpoint.keep(path).name };
}

function stageOne(r: HarvestedRecord, req: HarvestRequest, today: Date): StagedItem {
  const header = {
    identifier: r.identifier.trim(),
    datestamp: r.datestamp.trim(),
    deleted: r.deleted,
    sets: r.sets,
  };
  if (r.deleted || !r.metadata) return { ...header, deleted: true, link: "" };
  const item = toItem(
    { ...r, identifier: header.identifier, datestamp: header.datestamp },
    req.format,
    req.formats,
  );
  const record = crosswalk(item, req.profile, { symbol: req.symbol, today });
  const problems = validate(record, "create")
    .filter((i) => i.severity === "error")
    .map((i) => (i.tag ? `field ${i.tag}: ${i.message}` : i.message));
  if (!item.titles[0]) problems.unshift("field 245: the item has no title");
  return {
    ...header,
    link: links(item)[0] ?? "",
    record: recordToMarcJson(record),
    ...(problems.length > 0 ? { problems } : {}),
  };
}
