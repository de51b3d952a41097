/**
 * What worldcat-bibs does to one record: create (settled: never twice), replace (only when the record's
 * 005 still matches WorldCat's: otherwise STALE_005, "changed in WorldCat since your copy"), or validate
 * (locally, and with OCLC's validate endpoint when asked).
 *
 * A replace whose earlier attempt may have been applied is settled before STALE_005 is reported: after a
 * timeout the transport sends the PUT again, and the retry is answered "changed since it was read" when the
 * first one was applied; an item a crashed or cancelled run had in flight (`maybeAttempted`) finds a newer
 * 005 than its own. Then WorldCat's record is compared with what we sent (see same-content.ts): the same
 * content is "replace (already applied)", ok; anything else stays STALE_005.
 *
 * Creates and replaces are recorded in the unsettled-writes register before they are sent (when the host
 * has one): a write whose outcome stayed unknown, in any earlier process, is treated as `maybeAttempted`.
 * That is what makes re-running a failures file (or the same record in another file) safe.
 */
import type { ItemResult } from "../../batch/index.js";
import type { BatchItem, HandlerEnv } from "../../batch/item.js";
import type { UnsettledWrites } from "../../engine/unsettled-writes.js";
import type { WriteHistory } from "../../engine/write-history.js";
import { type MarcRecord, oclcNumberOf, type ValidationProfile } from "../../marc/index.js";
import type { ValidationMode } from "../../worldcat/api/validation.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { WorldCatError } from "../../worldcat/errors.js";
import { createOnce } from "./create-once.js";
import { lookInWorldCat, recordFinder } from "./find-record.js";
import { isAnswer, mayHaveApplied, resultOfError } from "./item-error.js";
import { recordErrors } from "./local-validation.js";
import { contentDigest, sameContent } from "./same-content.js";
import { whereProblem } from "./where-problem.js";
import { type RegisteredWrite, registeredWrite, writeKey } from "./write-key.js";

export type BibsAction = "create" | "replace" | "validate";

export interface BibsPlan {
  readonly action: BibsAction;
  readonly oclcValidate: boolean;
  /** The unsettled-writes register (`ctx.services.unsettledWrites`). */
  readonly writes?: UnsettledWrites;
  /** The input as the user named it, for messages (`new.mrc record 3, field 245: ...`). */
  readonly inputName?: string;
  /** Nightshift's own history of writes (`ctx.services.writeHistory`): creates already made, for good. */
  readonly history?: WriteHistory;
  /** Create even when the record is found in WorldCat or in Nightshift's history of creates. */
  readonly allowDuplicates?: boolean;
}

export const PROFILE_OF: Readonly<Record<BibsAction, ValidationProfile>> = {
  create: "create",
  replace: "replace",
  validate: "structure",
};

const MODE_OF: Readonly<Record<BibsAction, ValidationMode>> = {
  create: "validateAdd",
  replace: "validateReplace",
  validate: "validateFull",
};

type Item = BatchItem<MarcRecord, MarcRecord>;

export function bibsHandler(wc: WorldCatClient, plan: BibsPlan) {
  return async (item: Item, env: HandlerEnv): Promise<ItemResult> => {
    const known: Partial<ItemResult> = { requested: item.oclcNumber ?? "" };
    try {
      if (plan.action === "validate") return await validateOne(wc, plan, item.payload, item.position, env);
      const write = writeOf(wc, plan, item.payload);
      // An item an earlier run may have written: its write may have been answered and settled by a run that
      // died before reporting it. Recorded again before anything can fail, so that a later process (a re-run
      // of the failures file) still knows to look before writing.
      if (item.maybeAttempted && !env.dryRun) await write?.begin();
      if (plan.oclcValidate) {
        const refused = await oclcRefusal(wc, item.payload, MODE_OF[plan.action], env);
        if (refused) return { ...known, ...refused };
      }
      if (plan.action === "create") return await createOne(wc, plan, item, env, write);
      return await replaceOne(wc, item, env, write);
    } catch (err) {
      return resultOfError(err, env, known);
    }
  };
}

/** The create or replace of `record` in the unsettled-writes register. */
function writeOf(wc: WorldCatClient, plan: BibsPlan, record: MarcRecord): RegisteredWrite | undefined {
  if (plan.action === "create") return registeredWrite(plan.writes, wc, "create-bib", contentDigest(record));
  const ocn = oclcNumberOf(record)?.number ?? "";
  return registeredWrite(plan.writes, wc, `replace-bib:${ocn}`, contentDigest(record));
}

/**
 * A create, never a duplicate: unless `--allow-duplicates`, the record is looked for first in Nightshift's
 * history of creates for this institution (the same record content, created by an earlier process) and in
 * WorldCat (see find-record.ts); found, it is reported `exists` with its number and not created.
 */
async function createOne(
  wc: WorldCatClient,
  plan: BibsPlan,
  item: Item,
  env: HandlerEnv,
  write: RegisteredWrite | undefined,
): Promise<ItemResult> {
  const record = item.payload;
  const finder = recordFinder(wc, record);
  const historyKey = writeKey(wc, "create-bib", contentDigest(record));
  const ours = async () => plan.history?.find(historyKey);
  const mayExist = item.maybeAttempted || ((await write?.unsettled()) ?? false);
  if (!mayExist && !plan.allowDuplicates) {
    const done = await ours();
    if (done) {
      const by = done.processId === null ? "Nightshift" : `Nightshift process ${done.processId}`;
      return exists(
        done.result,
        `exists as ${done.result}: created by ${by} on ${done.at} from the same record content`,
      );
    }
    const look = await lookInWorldCat(wc, record, env.signal);
    if (look.found)
      return exists(look.found.ocn, `exists in WorldCat as ${look.found.ocn} (found by ${look.found.by})`);
    if (env.dryRun) {
      const where = plan.history
        ? "Nightshift's creates for this institution: nothing with the same content; "
        : "";
      return {
        outcome: "skipped",
        oclcCode: "DRY_RUN",
        message: `dry run: would create; looked in ${where}WorldCat by ${look.looked.join("; ")}`,
      };
    }
  }
  if (env.dryRun && !mayExist)
    return {
      outcome: "skipped",
      oclcCode: "DRY_RUN",
      message: "dry run: would create (not looked for: --allow-duplicates)",
    };
  return createOnce(
    {
      how: finder.how,
      find: async () => (await ours())?.result ?? (await finder.find(env.signal)),
      create: async () => {
        const ocn = oclcNumberOf(await wc.bibs.create(record, env.signal))?.number ?? "";
        if (ocn !== "") await plan.history?.record(historyKey, ocn);
        return ocn;
      },
    },
    env,
    // An item that may have been sent before (by an earlier run or process) is looked for before anything.
    { findFirst: mayExist, mayExist, journal: write },
  );
}

/** The record is in WorldCat already: reported `exists`, not created (its number goes into records.<fmt>). */
function exists(ocn: string, message: string): ItemResult {
  return { outcome: "skipped", action: "exists", current: ocn, message };
}

async function replaceOne(
  wc: WorldCatClient,
  item: Item,
  env: HandlerEnv,
  write: RegisteredWrite | undefined,
): Promise<ItemResult> {
  const record = item.payload;
  const ocn = oclcNumberOf(record)?.number ?? "";
  const maybeAttempted = item.maybeAttempted || ((await write?.unsettled()) ?? false);
  const theirs = await wc.bibs.read(ocn, env.signal);
  const current = oclcNumberOf(theirs)?.number ?? ocn;
  if (current !== ocn) {
    // WorldCat refuses a replace of a merged number: no earlier attempt at it can have been applied.
    await write?.settle();
    return {
      outcome: "failed",
      requested: ocn,
      current,
      oclcCode: "MERGED",
      message: `${ocn} was merged into ${current}: replace ${current} instead`,
    };
  }
  const mine = record.controlValue("005");
  const their005 = theirs.controlValue("005");
  if (mine !== their005) {
    // A newer 005 may be our own earlier attempt, made by a run that stopped before reporting it.
    if (maybeAttempted) {
      await write?.settle();
      const by = item.maybeAttempted
        ? "an earlier run of this batch"
        : "an earlier process (its outcome was unknown)";
      if (sameContent(record, theirs)) return alreadyApplied(ocn, their005, `applied by ${by}`);
    }
    return stale(ocn, mine, their005);
  }
  if (env.dryRun)
    return {
      outcome: "skipped",
      requested: ocn,
      current,
      oclcCode: "DRY_RUN",
      message: "dry run: 005 matches WorldCat; would replace",
    };
  await write?.begin();
  try {
    const stored = await wc.bibs.replace(record, env.signal);
    await write?.settle();
    return {
      outcome: "ok",
      requested: ocn,
      current,
      message: `replaced; new 005 ${stored.controlValue("005") ?? "?"}`,
    };
  } catch (err) {
    // A stale answer may be to the transport's retry of our own PUT that timed out after being applied;
    // an answer lost altogether may hide an applied one too. Read and compare before saying what happened.
    const isStale = isAnswer(err, 409) && /005|changed/i.test(err.detail);
    if (!isStale && !mayHaveApplied(err)) {
      if (!env.signal.aborted) await write?.settle();
      throw err;
    }
    const now = await readAfter(wc, ocn, env, err);
    // WorldCat's record now tells: ours (applied), or not ours (not applied, or changed since).
    await write?.settle();
    if (sameContent(record, now)) {
      const why = isStale
        ? "our first attempt was applied; its retry was answered with a stale 005"
        : `applied although no answer came back (${err instanceof WorldCatError ? err.detail : String(err)})`;
      return alreadyApplied(ocn, now.controlValue("005"), why);
    }
    if (isStale) return stale(ocn, mine, undefined, (err as WorldCatError).detail);
    throw err;
  }
}

/** WorldCat's record after a failed write; when it cannot be read either, the write's own error stands. */
async function readAfter(wc: WorldCatClient, ocn: string, env: HandlerEnv, writeError: unknown) {
  try {
    return await wc.bibs.read(ocn, env.signal);
  } catch (err) {
    if (env.signal.aborted) throw err;
    throw writeError;
  }
}

function alreadyApplied(ocn: string, their005: string | undefined, how: string): ItemResult {
  return {
    outcome: "ok",
    action: "replace (already applied)",
    requested: ocn,
    current: ocn,
    message: `WorldCat holds the record as sent (005 ${their005 ?? "?"}): ${how}`,
  };
}

function stale(ocn: string, mine?: string, theirs?: string, detail?: string): ItemResult {
  const what = detail ?? `your 005 is ${mine ?? "missing"}, WorldCat's is ${theirs ?? "missing"}`;
  return {
    outcome: "failed",
    requested: ocn,
    current: ocn,
    oclcCode: "STALE_005",
    message: `changed in WorldCat since your copy (${what})`,
  };
}

async function validateOne(
  wc: WorldCatClient,
  plan: BibsPlan,
  record: MarcRecord,
  position: number,
  env: HandlerEnv,
): Promise<ItemResult> {
  const errors = recordErrors(record, PROFILE_OF.validate);
  if (errors.length > 0) {
    const where = `${plan.inputName ? `${plan.inputName} ` : ""}record ${position}`;
    return {
      outcome: "failed",
      oclcCode: "INVALID_RECORD",
      message: `${where}: ${errors.map((e) => whereProblem(undefined, e)).join("; ")}`,
    };
  }
  if (plan.oclcValidate) {
    const refused = await oclcRefusal(wc, record, MODE_OF.validate, env);
    if (refused) return refused;
    return { outcome: "ok", message: "valid (locally and at OCLC)" };
  }
  return { outcome: "ok", message: "valid" };
}

/** OCLC's validate endpoint; a failed result when OCLC refuses the record. */
async function oclcRefusal(
  wc: WorldCatClient,
  record: MarcRecord,
  mode: ValidationMode,
  env: HandlerEnv,
): Promise<ItemResult | undefined> {
  const result = await wc.bibs.validate(record, mode, env.signal);
  if (result.valid) return undefined;
  const problems = result.errors.map(
    (e) => `${e.field ? `field ${e.field}${e.occurrence ? `[${e.occurrence}]` : ""}: ` : ""}${e.message}`,
  );
  return {
    outcome: "failed",
    oclcCode: result.summary ?? `HTTP ${result.status}`,
    message: `refused by OCLC ${mode}: ${problems.join("; ") || result.description || "not valid"}`,
  };
}
