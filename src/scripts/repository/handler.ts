/**
 * What repository-to-worldcat does to one harvested item:
 * - deleted in the repository: reported for review (with the WorldCat number when we know it), never deleted;
 * - not valid for WorldCat: failed with the fields, never sent;
 * - new: looked for (Nightshift's history of this sync, then WorldCat by the 035 OAI identifier, match, and
 *   title/author/year compared strictly), taken when found, created when not (never twice: the create is in
 *   the unsettled-writes register and settled by looking), then the holding is set;
 * - known, in `update` mode: the master record is replaced only when WorldCat's copy is still the one this
 *   institution wrote (040 $a and $c ours, and its 005 one our own create or replace left); otherwise
 *   "changed in WorldCat", for a person.
 */
import type { ItemResult } from "../../batch/index.js";
import type { BatchItem, HandlerEnv } from "../../batch/item.js";
import type { UnsettledWrites } from "../../engine/unsettled-writes.js";
import type { WriteHistory } from "../../engine/write-history.js";
import {
  controlField,
  type MarcRecord,
  marcJsonToRecord,
  oclcNumberOf,
  subfieldValues,
} from "../../marc/index.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { createOnce } from "../worldcat/create-once.js";
import { lookInWorldCat } from "../worldcat/find-record.js";
import { isAnswer, resultOfError } from "../worldcat/item-error.js";
import { contentDigest, sameContent } from "../worldcat/same-content.js";
import { registeredWrite, writeKey } from "../worldcat/write-key.js";
import type { StagedItem } from "./harvest-file.js";

export type SyncMode = "add-new" | "update";

export interface SyncPlan {
  readonly mode: SyncMode;
  readonly symbol: string;
  readonly holdingCode?: string;
  readonly writes?: UnsettledWrites;
  readonly history?: WriteHistory;
  /** Keeps the record sent (as WorldCat stored it) for records.mrc / records.xml, by position. */
  keep(position: number, record: MarcRecord): void;
}

type Item = BatchItem<StagedItem, string>;

export function syncHandler(wc: WorldCatClient, plan: SyncPlan) {
  const itemKey = (id: string) => writeKey(wc, "repository-item", id);
  const ourVersion = (ocn: string, v005: string) => writeKey(wc, "repository-005", `${ocn}:${v005}`);
  return async (item: Item, env: HandlerEnv): Promise<ItemResult> => {
    const s = item.payload;
    try {
      const known = (await plan.history?.find(itemKey(s.identifier)))?.result;
      if (s.deleted) return deletedResult(s, known);
      if (s.problems || !s.record) {
        return {
          outcome: "failed",
          oclcCode: "INVALID_RECORD",
          message: `${s.identifier}: ${(s.problems ?? ["no record"]).join("; ")}; not sent to WorldCat`,
        };
      }
      const record = marcJsonToRecord(s.record, item.position);
      const write = registeredWrite(plan.writes, wc, "repository-create", s.identifier);
      if (item.maybeAttempted && !env.dryRun) await write?.begin();
      const mayExist = item.maybeAttempted || ((await write?.unsettled()) ?? false);
      let ocn = known;
      let how = known ? "this sync's history" : "";
      if (!ocn && !mayExist) {
        const look = await lookInWorldCat(wc, record, env.signal);
        ocn = look.found?.ocn;
        how = look.found?.by ?? "";
        if (!ocn && env.dryRun) {
          return {
            outcome: "skipped",
            oclcCode: "DRY_RUN",
            message: `dry run: would create, then set the holding; looked by ${look.looked.join("; ")}`,
          };
        }
      }
      let action: string;
      let note = "";
      if (!ocn) {
        const created = await createOnce(
          {
            how: "035 OAI identifier, match, title/author/year",
            find: async () =>
              (await plan.history?.find(itemKey(s.identifier)))?.result ??
              (await lookInWorldCat(wc, record, env.signal)).found?.ocn,
            create: async () => {
              const stored = await wc.bibs.create(record, env.signal);
              const number = oclcNumberOf(stored)?.number ?? "";
              if (number !== "") {
                await plan.history?.record(itemKey(s.identifier), number);
                const v005 = stored.controlValue("005");
                if (v005) await plan.history?.record(ourVersion(number, v005), "create");
                plan.keep(item.position, stored);
              }
              return number;
            },
          },
          env,
          { findFirst: mayExist, mayExist, journal: write },
        );
        if (created.outcome !== "ok" || !created.current) return created;
        ocn = created.current;
        action = created.action === "create" ? "create" : "found";
        note = created.message ?? "";
      } else {
        action = "found";
        note = `found ${ocn} by ${how}`;
        if (!known) await plan.history?.record(itemKey(s.identifier), ocn);
        if (plan.mode === "update") {
          const updated = await update(wc, plan, item, record, ocn, env, ourVersion);
          if (updated.outcome !== "ok") {
            const held = await holding(wc, plan, ocn, env);
            return { ...updated, message: `${updated.message}; ${held}` };
          }
          action = updated.action ?? action;
          note = updated.message ?? note;
        }
      }
      return {
        outcome: "ok",
        action,
        current: ocn,
        message: `${note}; ${await holding(wc, plan, ocn, env)}`,
      };
    } catch (err) {
      return resultOfError(err, env);
    }
  };
}

function deletedResult(s: StagedItem, known: string | undefined): ItemResult {
  return {
    outcome: "skipped",
    action: "deleted in repository",
    oclcCode: "DELETED_IN_REPOSITORY",
    current: known,
    message: `deleted in the repository (${s.datestamp}): for review; nothing was deleted in WorldCat${known ? ` (its record is ${known})` : ""}`,
  };
}

/** Replace when WorldCat's copy is still ours; "changed in WorldCat" otherwise; "unchanged" when equal. */
async function update(
  wc: WorldCatClient,
  plan: SyncPlan,
  item: Item,
  record: MarcRecord,
  ocn: string,
  env: HandlerEnv,
  ourVersion: (ocn: string, v005: string) => string,
): Promise<ItemResult> {
  const theirs = await wc.bibs.read(ocn, env.signal);
  const their005 = theirs.controlValue("005") ?? "";
  const f040 = theirs.get("040");
  const ours040 =
    f040 !== undefined &&
    subfieldValues(f040, "a")[0] === plan.symbol &&
    subfieldValues(f040, "c")[0] === plan.symbol;
  const ourCopy =
    ours040 && their005 !== "" && (await plan.history?.find(ourVersion(ocn, their005))) !== undefined;
  const next = record
    .replaceFields("001", controlField("001", theirs.controlValue("001") ?? ocn))
    .replaceFields("005", controlField("005", their005));
  if (sameContent(next, theirs))
    return { outcome: "ok", action: "unchanged", message: `${ocn} already holds the repository's data` };
  if (!ourCopy) {
    const why = ours040Reason(f040, plan.symbol) || "its 005 is not one our own create or replace left";
    return {
      outcome: "skipped",
      action: "changed in WorldCat",
      oclcCode: "CHANGED_IN_WORLDCAT",
      current: ocn,
      message: `${item.payload.identifier} changed in the repository, but WorldCat's record ${ocn} is no longer the one we created (${why}): for a person to review; not replaced`,
    };
  }
  if (env.dryRun)
    return {
      outcome: "skipped",
      oclcCode: "DRY_RUN",
      current: ocn,
      message: `dry run: would replace ${ocn}`,
    };
  const write = registeredWrite(plan.writes, wc, `replace-bib:${ocn}`, contentDigest(next));
  await write?.begin();
  try {
    const stored = await wc.bibs.replace(next, env.signal);
    await write?.settle();
    const v005 = stored.controlValue("005");
    if (v005) await plan.history?.record(ourVersion(ocn, v005), "replace");
    plan.keep(item.position, stored);
    return {
      outcome: "ok",
      action: "replace",
      current: ocn,
      message: `replaced ${ocn} (new 005 ${v005 ?? "?"})`,
    };
  } catch (err) {
    if (isAnswer(err, 409)) {
      await write?.settle();
      return {
        outcome: "skipped",
        action: "changed in WorldCat",
        oclcCode: "CHANGED_IN_WORLDCAT",
        current: ocn,
        message: `WorldCat's record ${ocn} changed while we replaced it: for a person to review`,
      };
    }
    throw err;
  }
}

function ours040Reason(f040: ReturnType<MarcRecord["get"]>, symbol: string): string {
  if (!f040) return "it has no 040";
  const a = subfieldValues(f040, "a")[0];
  const c = subfieldValues(f040, "c")[0];
  if (a !== symbol || c !== symbol) return `040 $a ${a ?? "-"} $c ${c ?? "-"}, not ${symbol}`;
  return "";
}

/** Sets the institution's holding (idempotent); the words for the report's message. */
async function holding(wc: WorldCatClient, plan: SyncPlan, ocn: string, env: HandlerEnv): Promise<string> {
  if (env.dryRun) return "dry run: would set the holding";
  if (plan.holdingCode) {
    try {
      await wc.first.holdings.set(ocn, { holdingLibraryCode: plan.holdingCode, signal: env.signal });
    } catch (err) {
      if (isAnswer(err, 409, "WS-409") && /already exists/i.test(err.detail))
        return `holding already set (${plan.holdingCode})`;
      throw err;
    }
    return `holding set (${plan.holdingCode})`;
  }
  const change = await wc.holdings.set(ocn, env.signal);
  return /already/i.test(change.message ?? "") ? "holding already set" : "holding set";
}
