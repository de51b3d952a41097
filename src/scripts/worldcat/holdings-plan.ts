/**
 * What worldcat-holdings does to one number: pre-check (current number, holding status) from the grouped
 * look-ahead, skip what is already in the wanted state (`--only-changes`), then set or unset on the
 * current number with Metadata API 2.0, or with the first API when a holding library code is given.
 */
import type { ItemResult } from "../../batch/index.js";
import type { BatchItem, HandlerEnv } from "../../batch/item.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { isAnswer, resultOfError } from "./item-error.js";
import type { GroupLookup, Prefetched } from "./lookahead.js";

export interface HoldingsPlan {
  readonly action: "set" | "unset";
  readonly onlyChanges: boolean;
  readonly cascade: boolean;
  readonly holdingCode?: string;
  readonly dryRun: boolean;
}

/** A number's state before the change. `held` is known only when the holding status was read. */
export interface HoldingState {
  readonly current: string;
  readonly held?: boolean;
}

/** Reads the current numbers (and the holding status, when it matters) of up to 10 numbers per request. */
export function stateLookup(wc: WorldCatClient, plan: HoldingsPlan): GroupLookup<string, HoldingState> {
  if (plan.onlyChanges) {
    return async (ocns) =>
      new Map(
        (await wc.holdings.current(ocns)).map((h) => [
          String(h.requestedControlNumber),
          { current: String(h.currentControlNumber), held: h.holdingSet },
        ]),
      );
  }
  return async (ocns) =>
    new Map((await wc.bibs.current(ocns)).map((c) => [c.requested, { current: c.current }]));
}

/** Whether a pre-check request is needed at all (2.0 set/unset report the current number themselves). */
export function needsLookup(plan: HoldingsPlan): boolean {
  return plan.onlyChanges || plan.dryRun || plan.holdingCode !== undefined;
}

export function holdingsHandler(wc: WorldCatClient, plan: HoldingsPlan) {
  const lookup = stateLookup(wc, plan);
  const wanted = plan.action === "set";
  return async (item: BatchItem<Prefetched<string, HoldingState>>, env: HandlerEnv): Promise<ItemResult> => {
    const requested = item.payload.value;
    let known: Partial<ItemResult> = { requested };
    try {
      let state: HoldingState | undefined;
      if (needsLookup(plan)) {
        // A failed group request is asked again for this number alone.
        state = await item.payload
          .lookup()
          .catch(() => retryServerErrors(async () => (await lookup([requested])).get(requested), env));
        if (!state)
          return {
            ...known,
            outcome: "failed",
            oclcCode: "NOT_FOUND",
            message: `OCLC number ${requested} is not in WorldCat`,
          };
        known = { requested, current: state.current };
      }
      const current = state?.current ?? requested;
      if (plan.onlyChanges && state?.held === wanted) {
        return {
          ...known,
          outcome: "skipped",
          message: `holding already ${plan.action}${merged(requested, current)}`,
        };
      }
      if (env.dryRun) {
        return {
          ...known,
          outcome: "skipped",
          oclcCode: "DRY_RUN",
          message: `dry run: would ${plan.action} the holding on ${current}${merged(requested, current)}`,
        };
      }
      const code = plan.holdingCode;
      return await retryServerErrors(
        () =>
          code === undefined
            ? change2(wc, plan, requested, current, env)
            : changeFirst(wc, plan, code, requested, current, env),
        env,
      );
    } catch (err) {
      return resultOfError(err, env, known);
    }
  };
}

async function change2(
  wc: WorldCatClient,
  plan: HoldingsPlan,
  requested: string,
  current: string,
  env: HandlerEnv,
): Promise<ItemResult> {
  const change =
    plan.action === "set"
      ? await wc.holdings.set(current, env.signal)
      : await wc.holdings.unset(current, { cascadeDelete: plan.cascade, signal: env.signal });
  const now = String(change.controlNumber || current);
  const already = /already/i.test(change.message ?? "");
  const message = `${change.message ?? ""}${merged(requested, now)}`.trim();
  return { outcome: already ? "skipped" : "ok", requested, current: now, message };
}

/** The first API answers 409 WS-409 when the holding is already in the wanted state: nothing to do then. */
async function changeFirst(
  wc: WorldCatClient,
  plan: HoldingsPlan,
  holdingLibraryCode: string,
  requested: string,
  current: string,
  env: HandlerEnv,
): Promise<ItemResult> {
  try {
    if (plan.action === "set")
      await wc.first.holdings.set(current, { holdingLibraryCode, signal: env.signal });
    else
      await wc.first.holdings.unset(current, {
        holdingLibraryCode,
        cascade: plan.cascade,
        signal: env.signal,
      });
  } catch (err) {
    if (isAnswer(err, 409, "WS-409") && /already exists|does not exist/i.test(err.detail)) {
      return {
        outcome: "skipped",
        oclcCode: "WS-409",
        requested,
        current,
        message: `${err.detail}${merged(requested, current)}`,
      };
    }
    throw err;
  }
  const done = plan.action === "set" ? "holding set" : "holding unset";
  return {
    outcome: "ok",
    requested,
    current,
    message: `${done} (${holdingLibraryCode})${merged(requested, current)}`,
  };
}

/**
 * Setting and unsetting are idempotent, so an HTTP 500 (which the transport does not retry: it may be a
 * lasting server fault) is tried twice more here, after a short pause, before the item fails.
 */
async function retryServerErrors<T>(call: () => Promise<T>, env: HandlerEnv, attempts = 3): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await call();
    } catch (err) {
      if (n >= attempts || !isAnswer(err, 500) || env.signal.aborted) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * n));
    }
  }
}

function merged(requested: string, current: string): string {
  return requested === current ? "" : `; ${requested} was merged into ${current}`;
}
