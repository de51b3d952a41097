/**
 * Never twice, never lost: a create whose outcome is unknown (a timeout or 5xx after sending, or an item a
 * dead process may have attempted) is settled before anything else happens to the record: look for it,
 * and either take the number found or create once more. After `maxAttempts` unknown creates, the item ends
 * `unknown` with what was tried, so nobody creates it again blindly.
 *
 * With a `journal`, every create is recorded before it is sent and settled once its outcome is known, so a
 * create left unknown (or cut short by a crash) makes any later process creating the same record look first.
 * A record that may exist already (`mayExist`: an earlier run or process may have created it) is recorded
 * before the look too, and a look that fails leaves it `unknown`: the earlier create may have been answered
 * and settled by a run that died before reporting it, and this record is then what tells the next process
 * (a re-run of the failures file) to look before creating.
 */
import { defaultIsThrottle, type ItemResult } from "../../batch/index.js";
import type { HandlerEnv } from "../../batch/item.js";
import { OutcomeUnknownError, WorldCatError } from "../../worldcat/errors.js";
import { mayHaveApplied } from "./item-error.js";

export interface CreateOps {
  /** How `find` looks, for messages: `035 (MyLib)123`, `title/author/date`. */
  readonly how: string;
  /** The number of the record if WorldCat has it already. */
  find(): Promise<string | undefined>;
  /** Creates the record; resolves with the new number. */
  create(): Promise<string>;
}

/** Where creates are recorded before they are sent (src/engine/unsettled-writes.ts, bound to one key). */
export interface CreateJournal {
  begin(): Promise<void>;
  /** The record is known to exist, or known not to: forget every attempt. */
  settle(): Promise<void>;
}

export interface CreateOnceOptions {
  /** Look before the first create (the item may have been attempted, or a reliable local id allows it). */
  readonly findFirst: boolean;
  /** An earlier run or process may have created it (implies `findFirst`). */
  readonly mayExist?: boolean;
  readonly maxAttempts?: number;
  readonly journal?: CreateJournal;
}

export async function createOnce(
  ops: CreateOps,
  env: HandlerEnv,
  options: CreateOnceOptions,
): Promise<ItemResult> {
  const journal = options.journal;
  const mayExist = options.mayExist === true;
  if (options.findFirst || mayExist) {
    if (mayExist && !env.dryRun) await journal?.begin();
    let found: string | undefined;
    try {
      found = await ops.find();
    } catch (err) {
      if (!mayExist || env.signal.aborted || defaultIsThrottle(err)) throw err;
      return unknown(
        `an earlier attempt may have created it; looking by ${ops.how} failed: ${messageOf(err)}`,
      );
    }
    if (found) {
      await journal?.settle();
      return foundExisting(found, `already in WorldCat (found by ${ops.how})`);
    }
  }
  if (env.dryRun)
    return {
      outcome: "skipped",
      oclcCode: "DRY_RUN",
      message: `dry run: would create (nothing found by ${ops.how})`,
    };
  const tried: string[] = [];
  const max = options.maxAttempts ?? 3;
  await journal?.begin();
  for (let attempt = 1; attempt <= max; attempt++) {
    try {
      const ocn = await ops.create();
      await journal?.settle();
      const after = tried.length ? ` after ${tried.join("; ")}, not found by ${ops.how}` : "";
      return { outcome: "ok", action: "create", current: ocn, message: `created ${ocn}${after}` };
    } catch (err) {
      // A cancel is rethrown: the item is then settled on resume (its create stays unsettled).
      if (env.signal.aborted) throw err;
      if (!mayHaveApplied(err)) {
        if (tried.length === 0) {
          // Refused outright, with nothing unknown before it: not created (an earlier process's attempt was
          // looked for first).
          await journal?.settle();
          throw err;
        }
        // After an unknown attempt the record may exist whatever this one says: unknown, not failed (nor a
        // 429 for the batch to retry blindly).
        return unknown(`${tried.join("; ")}; create ${attempt}: ${messageOf(err)}`);
      }
      tried.push(`create ${attempt}: outcome unknown (${reasonOf(err)})`);
    }
    let found: string | undefined;
    try {
      found = await ops.find();
    } catch (err) {
      if (env.signal.aborted) throw err;
      return unknown(`${tried.join("; ")}; looking by ${ops.how} failed: ${messageOf(err)}`);
    }
    if (found) {
      await journal?.settle();
      return foundExisting(found, `${tried.join("; ")}; found by ${ops.how}`);
    }
  }
  return unknown(`${tried.join("; ")}; not found by ${ops.how}: check WorldCat before creating it again`);
}

function foundExisting(ocn: string, message: string): ItemResult {
  return { outcome: "ok", action: "create (found existing)", current: ocn, message };
}

function unknown(message: string): ItemResult {
  return { outcome: "unknown", action: "create", oclcCode: "WORLDCAT_OUTCOME_UNKNOWN", message };
}

function reasonOf(err: unknown): string {
  return err instanceof OutcomeUnknownError ? err.reason : messageOf(err);
}

function messageOf(err: unknown): string {
  return err instanceof WorldCatError ? err.detail : err instanceof Error ? err.message : String(err);
}
