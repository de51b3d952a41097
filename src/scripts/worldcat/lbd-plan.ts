/**
 * What worldcat-lbd does to one item: create (never twice: WorldCat refuses a second 935 with the same
 * local id, and that answer names the existing one), replace (needs 001 and the current 005; settled by
 * comparing when an earlier attempt may have been applied: lbd-replace.ts), read, delete (a 404 after an
 * attempt that may have been applied is ok: lbd-delete.ts).
 */
import type { ItemResult } from "../../batch/index.js";
import type { BatchItem, HandlerEnv } from "../../batch/item.js";
import type { UnsettledWrites } from "../../engine/unsettled-writes.js";
import { type MarcRecord, parseOclcNumber, subfield } from "../../marc/index.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { OutcomeUnknownError } from "../../worldcat/errors.js";
import { isAnswer, resultOfError } from "./item-error.js";
import { deleteLbdSettled } from "./lbd-delete.js";
import { replaceLbdSettled } from "./lbd-replace.js";
import type { RecordSink } from "./record-sink.js";
import { registeredWrite } from "./write-key.js";

export type LbdAction = "create" | "replace" | "delete" | "read";

const ALREADY_USED = /already used by local bibliographic data (\d+)/i;

const masterOf = (r: MarcRecord) => parseOclcNumber(r.controlValue("004") ?? "") ?? "";
const localIdOf935 = (r: MarcRecord) => {
  const f = r.get("935");
  return f ? (subfield(f, "a") ?? "") : "";
};

export function lbdRecordHandler(
  wc: WorldCatClient,
  action: "create" | "replace",
  prepare: (r: MarcRecord) => MarcRecord,
) {
  return async (item: BatchItem<MarcRecord, MarcRecord>, env: HandlerEnv): Promise<ItemResult> => {
    const record = prepare(item.payload);
    const master = masterOf(record);
    try {
      if (action === "create")
        return { requested: master, current: master, ...(await createLbd(wc, record, env)) };
      const id = record.controlValue("001")?.trim() ?? "";
      if (env.dryRun)
        return {
          requested: master,
          outcome: "skipped",
          oclcCode: "DRY_RUN",
          message: `dry run: would replace local bib data ${id}`,
        };
      return { requested: master, current: master, ...(await replaceLbdSettled(wc, id, record, env)) };
    } catch (err) {
      return resultOfError(err, env, { requested: master });
    }
  };
}

async function createLbd(wc: WorldCatClient, record: MarcRecord, env: HandlerEnv): Promise<ItemResult> {
  const localId = localIdOf935(record);
  if (env.dryRun)
    return {
      outcome: "skipped",
      oclcCode: "DRY_RUN",
      message: `dry run: would create local bib data with 935 ${localId}`,
    };
  const tried: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      const created = await wc.lbds.create(record, env.signal);
      const id = created.controlValue("001") ?? "?";
      const after = tried.length ? ` after ${tried.join("; ")}` : "";
      return {
        outcome: "ok",
        action: "create",
        message: `local bib data ${id} created (935 ${localId})${after}`,
      };
    } catch (err) {
      const used = isAnswer(err, 409) ? ALREADY_USED.exec(err.detail) : null;
      if (used) {
        const why = tried.length ? `${tried.join("; ")}; ` : "";
        return {
          outcome: "ok",
          action: "create (found existing)",
          message: `${why}local bib data ${used[1]} already has 935 ${localId}`,
        };
      }
      if (!(err instanceof OutcomeUnknownError)) throw err;
      // Creating again is the look: WorldCat refuses a second record with this 935 and names the first.
      tried.push(`create ${attempt}: outcome unknown (${err.reason})`);
    }
  }
  return {
    outcome: "unknown",
    action: "create",
    oclcCode: "WORLDCAT_OUTCOME_UNKNOWN",
    message: `${tried.join("; ")}: check WorldCat for 935 ${localId}`,
  };
}

/** Read or delete by id (a delete settled as lbd-delete.ts says). */
export function lbdIdHandler(
  wc: WorldCatClient,
  action: "read" | "delete",
  sink: RecordSink | undefined,
  writes?: UnsettledWrites,
) {
  return async (item: BatchItem<string, unknown>, env: HandlerEnv): Promise<ItemResult> => {
    const id = item.payload;
    try {
      if (action === "read") {
        const record = await wc.lbds.read(id, env.signal);
        sink?.keep(item.position, record);
        const master = masterOf(record);
        return {
          outcome: "ok",
          requested: master,
          current: master,
          message: `local bib data ${id} (935 ${localIdOf935(record)})`,
        };
      }
      if (env.dryRun)
        return {
          outcome: "skipped",
          requested: "",
          oclcCode: "DRY_RUN",
          message: `dry run: would delete local bib data ${id}`,
        };
      const how = {
        maybeAttempted: item.maybeAttempted,
        write: registeredWrite(writes, wc, "delete-lbd", id),
      };
      return { requested: "", ...(await deleteLbdSettled(wc, id, how, env)) };
    } catch (err) {
      return resultOfError(err, env, { requested: "" });
    }
  };
}
