/**
 * Replacing one local bib data record, settled when an earlier attempt may have been applied: WorldCat (and
 * the sandbox, src/sandbox/domain/lbd-ops.ts) answers a PUT whose 005 is no longer current with 409 "005
 * does not match". After a PUT that was applied but never answered, the transport's retry gets that answer;
 * so does an item a crashed or cancelled run had in flight (`maybeAttempted`), resent with its old 005. A
 * PUT that got no answer at all may have been applied too. In each case the LBD is read and compared with
 * what we sent (same-content.ts): the same content is "replace (already applied)", ok; otherwise a 409
 * stays STALE_005 and anything else the error it was.
 *
 * ```ts
 * await replaceLbdSettled(wc, "5000001", record, env) // { outcome: "ok", action: "replace (already applied)", ... }
 * ```
 */
import type { ItemResult } from "../../batch/index.js";
import type { HandlerEnv } from "../../batch/item.js";
import type { MarcRecord } from "../../marc/index.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { WorldCatError } from "../../worldcat/errors.js";
import { isAnswer, mayHaveApplied } from "./item-error.js";
import { sameContent } from "./same-content.js";

/** PUTs `record` as local bib data `id`; the result without `requested`/`current` (the caller knows them). */
export async function replaceLbdSettled(
  wc: WorldCatClient,
  id: string,
  record: MarcRecord,
  env: HandlerEnv,
): Promise<ItemResult> {
  try {
    const stored = await wc.lbds.replace(id, record, env.signal);
    return {
      outcome: "ok",
      message: `local bib data ${id} replaced; new 005 ${stored.controlValue("005") ?? "?"}`,
    };
  } catch (err) {
    const isStale = isAnswer(err, 409) && /005/.test(err.detail);
    if (!isStale && !mayHaveApplied(err)) throw err;
    const now = await readAfter(wc, id, env, err);
    if (sameContent(record, now)) {
      const why = isStale
        ? "an earlier attempt was applied; this one was answered with a stale 005"
        : `applied although no answer came back (${err instanceof WorldCatError ? err.detail : String(err)})`;
      return {
        outcome: "ok",
        action: "replace (already applied)",
        message: `local bib data ${id} holds the record as sent (005 ${now.controlValue("005") ?? "?"}): ${why}`,
      };
    }
    if (!isStale) throw err;
    return {
      outcome: "failed",
      oclcCode: "STALE_005",
      message: `changed in WorldCat since your copy (${(err as WorldCatError).detail})`,
    };
  }
}

/** The LBD after a failed write; when it cannot be read either, the write's own error stands. */
async function readAfter(wc: WorldCatClient, id: string, env: HandlerEnv, writeError: unknown) {
  try {
    return await wc.lbds.read(id, env.signal);
  } catch (err) {
    if (env.signal.aborted) throw err;
    throw writeError;
  }
}
