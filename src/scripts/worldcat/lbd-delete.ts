/**
 * Deleting one local bib data record, settled when an earlier attempt may have been applied: WorldCat
 * answers 404 to the DELETE of an LBD that is gone, and that is also what the transport's retry of a DELETE
 * applied but never answered gets (the error says so: `earlierAttemptMayHaveApplied`), or an item a crashed
 * or cancelled run had in flight (`maybeAttempted`). Then the 404 means the LBD is gone as asked:
 * "delete (already applied)", ok. A 404 to a first, unambiguous attempt stays failed (NOT_FOUND: a wrong id).
 * With the unsettled-writes register, a delete any earlier process left unknown counts as attempted too (a
 * re-run of a failures file).
 *
 * ```ts
 * await deleteLbdSettled(wc, "5000001", { maybeAttempted }, env) // { outcome: "ok", ... }
 * ```
 */
import type { ItemResult } from "../../batch/index.js";
import type { HandlerEnv } from "../../batch/item.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { WorldCatError } from "../../worldcat/errors.js";
import { isAnswer, mayHaveApplied } from "./item-error.js";
import type { RegisteredWrite } from "./write-key.js";

export interface DeleteContext {
  readonly maybeAttempted: boolean;
  /** This delete in the unsettled-writes register. */
  readonly write?: RegisteredWrite;
}

/** DELETEs local bib data `id`; the result without `requested` (the caller knows it). */
export async function deleteLbdSettled(
  wc: WorldCatClient,
  id: string,
  how: DeleteContext,
  env: HandlerEnv,
): Promise<ItemResult> {
  const { write } = how;
  const unsettled = (await write?.unsettled()) ?? false;
  await write?.begin();
  try {
    await wc.lbds.delete(id, env.signal);
    await write?.settle();
    return { outcome: "ok", message: `local bib data ${id} deleted` };
  } catch (err) {
    const retried = err instanceof WorldCatError && err.earlierAttemptMayHaveApplied;
    const earlier = retried || how.maybeAttempted || unsettled;
    // A refusal says this attempt did nothing, not that an earlier one did nothing: that stays recorded
    // (an earlier run may have deleted it and died before reporting it).
    const known = isAnswer(err, 404) || (!mayHaveApplied(err) && !earlier);
    if (!env.signal.aborted && known) await write?.settle();
    if (!isAnswer(err, 404) || !earlier) throw err;
    const why = retried
      ? "an earlier attempt was applied; its retry was answered not found"
      : how.maybeAttempted
        ? "deleted by an earlier run of this batch"
        : "deleted by an earlier process (its outcome was unknown)";
    return {
      outcome: "ok",
      action: "delete (already applied)",
      message: `local bib data ${id} is gone: ${why}`,
    };
  }
}
