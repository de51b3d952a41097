/**
 * worldcat-reconcile: the local catalogue's numbers against the institution's WorldCat holdings. Items are
 * the local numbers (is each held? not held: to set), then the numbers of the WorldCat holdings list (an
 * export from OCLC's collection manager) that the catalogue does not have, compared on current numbers
 * (held there and not here: to unset). With --apply the sets and unsets are done in the same run, with
 * worldcat-holdings' rules (current numbers, idempotent set/unset, no cascade).
 */

import { createTextSink, type TextSink } from "../../batch/file-sink.js";
import type { BatchSource, ItemResult, SourceEntry } from "../../batch/index.js";
import type { BatchItem, HandlerEnv } from "../../batch/item.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { heldNow } from "./held-now.js";
import { resultOfError } from "./item-error.js";
import type { GroupLookup, Prefetched } from "./lookahead.js";

export interface ReconcileItem {
  readonly kind: "local" | "worldcat";
  readonly n: string;
}

/** The local entries, then the WorldCat list's entries whose number is not among `localCurrent`. */
export function reconcileSource(
  local: BatchSource<string, unknown>,
  worldcat: BatchSource<string, unknown> | undefined,
  localNumbers: ReadonlySet<string>,
): BatchSource<ReconcileItem, string> {
  return {
    format: local.format,
    entries: async function* (): AsyncGenerator<SourceEntry<ReconcileItem, string>> {
      let position = 0;
      for (const [kind, src] of [
        ["local", local],
        ["worldcat", worldcat],
      ] as const) {
        if (!src) continue;
        for await (const e of src.entries()) {
          if (kind === "worldcat" && e.payload !== undefined && localNumbers.has(e.payload)) continue;
          position++;
          const raw = e.inputId;
          if (e.invalid !== undefined) yield { position, inputId: e.inputId, raw, invalid: e.invalid };
          else
            yield {
              position,
              inputId: e.inputId,
              raw,
              oclcNumber: e.oclcNumber,
              payload: { kind, n: e.payload },
            };
        }
      }
    },
    failures: {
      extension: "txt",
      open(path) {
        const sink = createTextSink(path);
        return { write: (raw: string) => sink.write(`${raw}\n`), close: () => sink.close() };
      },
    },
  };
}

export interface Status {
  readonly current: string;
  readonly held: boolean;
}

export function statusLookup(wc: WorldCatClient): GroupLookup<ReconcileItem, Status> {
  return async (items) => {
    const answer = await wc.holdings.current(items.map((i) => i.n));
    const by = new Map(answer.map((h) => [String(h.requestedControlNumber), h]));
    const out = new Map<ReconcileItem, Status>();
    for (const i of items) {
      const h = by.get(i.n);
      if (h) out.set(i, { current: String(h.currentControlNumber), held: h.holdingSet });
    }
    return out;
  };
}

export function reconcileHandler(wc: WorldCatClient, apply: boolean, localCurrent: ReadonlySet<string>) {
  return async (
    item: BatchItem<Prefetched<ReconcileItem, Status>, string>,
    env: HandlerEnv,
  ): Promise<ItemResult> => {
    const { kind, n } = item.payload.value;
    try {
      const s = await item.payload.lookup();
      if (!s)
        return {
          requested: n,
          outcome: "failed",
          oclcCode: "NOT_FOUND",
          message: `${kind === "local" ? "local number" : "WorldCat holding"} ${n} is not in WorldCat`,
        };
      const known = { requested: n, current: s.current };
      const merged = s.current === n ? "" : `; ${n} was merged into ${s.current}`;
      if (kind === "local") {
        if (s.held)
          return { ...known, outcome: "skipped", action: "held", message: `held in WorldCat${merged}` };
        if (!apply || env.dryRun)
          return {
            ...known,
            outcome: "ok",
            action: "to-set",
            message: `in the catalogue, not held in WorldCat${merged}`,
          };
        // An interrupted run may have done this item's write already: look first, so nothing is sent twice.
        if (item.maybeAttempted && (await heldNow(wc, s.current, env.signal)))
          return {
            ...known,
            outcome: "ok",
            action: "set",
            message: `holding set (by the interrupted run)${merged}`,
          };
        const c = await wc.holdings.set(s.current, env.signal);
        return { ...known, outcome: "ok", action: "set", message: `${c.message ?? "holding set"}${merged}` };
      }
      if (localCurrent.has(s.current))
        return {
          ...known,
          outcome: "skipped",
          action: "in catalogue",
          message: `in the catalogue as ${s.current}${merged}`,
        };
      if (!s.held)
        return {
          ...known,
          outcome: "skipped",
          action: "not held",
          message: `no longer held in WorldCat${merged}`,
        };
      if (!apply || env.dryRun)
        return {
          ...known,
          outcome: "ok",
          action: "to-unset",
          message: `held in WorldCat, not in the catalogue${merged}`,
        };
      if (item.maybeAttempted && !(await heldNow(wc, s.current, env.signal)))
        return {
          ...known,
          outcome: "ok",
          action: "unset",
          message: `holding unset (by the interrupted run)${merged}`,
        };
      const c = await wc.holdings.unset(s.current, { cascadeDelete: false, signal: env.signal });
      return {
        ...known,
        outcome: "ok",
        action: "unset",
        message: `${c.message ?? "holding unset"}${merged}`,
      };
    } catch (err) {
      return resultOfError(err, env, { requested: n });
    }
  };
}

/** to-set.txt and to-unset.txt, written in input order from the batch's onReported. */
export function listSinks(setPath: string, unsetPath: string) {
  const set: TextSink = createTextSink(setPath);
  const unset: TextSink = createTextSink(unsetPath);
  let sets = 0;
  let unsets = 0;
  return {
    reported(result: ItemResult) {
      if (result.outcome !== "ok" || !result.current) return;
      if (result.action === "to-set" || result.action === "set") {
        set.write(`${result.current}\n`);
        sets++;
      } else if (result.action === "to-unset" || result.action === "unset") {
        unset.write(`${result.current}\n`);
        unsets++;
      }
    },
    async close() {
      await Promise.all([set.close(), unset.close()]);
      return { sets, unsets };
    },
  };
}
