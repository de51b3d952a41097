/**
 * Deleting one local bib data record, settled when an earlier attempt may have been applied: WorldCat
 * answers 404 to the DELETE of an LBD that is gone, and that is also what the transport's retry of a DELETE
 * applied but never answered gets, or an item a crashed or cancelled run had in flight (`maybeAttempted`).
 * Then the 404 means the LBD is gone as asked: "delete (already applied)", ok. A 404 to a first, unambiguous
 * attempt stays failed (NOT_FOUND: a wrong id).
 *
 * The transport retries inside one call, so which DELETEs were sent more than once is read from its retry
 * lines (`[req] DELETE <url>/manage/lbds/<id>: READ_TIMEOUT; retry 2/5 in 180 ms`, as batch.ts reads its
 * 429s); a retry after an error that proves nothing was sent (connection refused, connect timeout) or after
 * a 4xx answer (429) does not count.
 *
 * ```ts
 * const retried = watchRetriedDeletes(conn.service); // then, per item:
 * await deleteLbdSettled(wc, "5000001", { maybeAttempted, retried }, env) // { outcome: "ok", ... }
 * retried.close();
 * ```
 */
import type { ItemResult } from "../../batch/index.js";
import type { HandlerEnv } from "../../batch/item.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import type { WorldCatService } from "../../worldcat/script-services.js";
import { isAnswer } from "./item-error.js";

const RETRY_LINE = /^\[[^\]]*\] DELETE \S*\/manage\/lbds\/(\d+): (HTTP 5\d\d|[A-Z_]+); retry \d+\//;
const NOT_SENT = new Set(["CONNECT_TIMEOUT", "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** The LBD ids whose DELETE the transport sent again after an attempt that may have been applied. */
export interface RetriedDeletes {
  /** True when the DELETE of `id` was retried (and forgets it: memory stays flat). */
  take(id: string): boolean;
  close(): void;
}

export function watchRetriedDeletes(service: Pick<WorldCatService, "onTransportLog">): RetriedDeletes {
  const ids = new Set<string>();
  const off = service.onTransportLog((line) => {
    const m = RETRY_LINE.exec(line);
    if (m && !NOT_SENT.has(m[2])) ids.add(m[1]);
  });
  return { take: (id) => ids.delete(id), close: off };
}

export interface DeleteContext {
  readonly maybeAttempted: boolean;
  readonly retried?: RetriedDeletes;
}

/** DELETEs local bib data `id`; the result without `requested` (the caller knows it). */
export async function deleteLbdSettled(
  wc: WorldCatClient,
  id: string,
  how: DeleteContext,
  env: HandlerEnv,
): Promise<ItemResult> {
  const key = id.trim().replace(/^0+(?=\d)/, ""); // as the URL names it
  try {
    await wc.lbds.delete(id, env.signal);
    return { outcome: "ok", message: `local bib data ${id} deleted` };
  } catch (err) {
    const retried = how.retried?.take(key) ?? false;
    if (!isAnswer(err, 404) || !(retried || how.maybeAttempted)) throw err;
    const why = retried
      ? "an earlier attempt was applied; its retry was answered not found"
      : "deleted by an earlier run of this batch";
    return {
      outcome: "ok",
      action: "delete (already applied)",
      message: `local bib data ${id} is gone: ${why}`,
    };
  } finally {
    how.retried?.take(key);
  }
}
