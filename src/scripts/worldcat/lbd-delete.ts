/**
 * Deleting one local bib data record, settled when an earlier attempt may have been applied: WorldCat
 * answers 404 to the DELETE of an LBD that is gone, and that is also what the transport's retry of a DELETE
 * applied but never answered gets (the error says so: `earlierAttemptMayHaveApplied`), or an item a crashed
 * or cancelled run had in flight (`maybeAttempted`). Then the 404 means the LBD is gone as asked:
 * "delete (already applied)", ok. A 404 to a first, unambiguous attempt stays failed (NOT_FOUND: a wrong id).
 *
 * ```ts
 * await deleteLbdSettled(wc, "5000001", { maybeAttempted }, env) // { outcome: "ok", ... }
 * ```
 */
import type { ItemResult } from "../../batch/index.js";
import type { HandlerEnv } from "../../batch/item.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { WorldCatError } from "../../worldcat/errors.js";
import { isAnswer } from "./item-error.js";

export interface DeleteContext {
  readonly maybeAttempted: boolean;
}

/** DELETEs local bib data `id`; the result without `requested` (the caller knows it). */
export async function deleteLbdSettled(
  wc: WorldCatClient,
  id: string,
  how: DeleteContext,
  env: HandlerEnv,
): Promise<ItemResult> {
  try {
    await wc.lbds.delete(id, env.signal);
    return { outcome: "ok", message: `local bib data ${id} deleted` };
  } catch (err) {
    const retried = err instanceof WorldCatError && err.earlierAttemptMayHaveApplied;
    if (!isAnswer(err, 404) || !(retried || how.maybeAttempted)) throw err;
    const why = retried
      ? "an earlier attempt was applied; its retry was answered not found"
      : "deleted by an earlier run of this batch";
    return {
      outcome: "ok",
      action: "delete (already applied)",
      message: `local bib data ${id} is gone: ${why}`,
    };
  }
}
