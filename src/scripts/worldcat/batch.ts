/**
 * Runs a WorldCat batch: the batch engine with the account's concurrency, the common parameters, the
 * transport's 429 retries fed to the adaptive window (so the batch slows down before anything fails), and
 * retry lines in the process log.
 */
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { type BatchOptions, type BatchSummary, runBatch } from "../../batch/index.js";
import type { HandlerEnv } from "../../batch/item.js";
import { itemsOutcome, type ScriptContext, type ScriptResult } from "../../engine/script.js";
import "../../engine/services.js";
import type { Connection } from "./connect.js";
import { WorldCatScriptError } from "./errors.js";
import type { CommonValues } from "./params.js";

export type WorldCatBatchOptions<P, R> = Omit<BatchOptions<P, R>, "concurrency" | "dryRun" | "resumeFrom">;

export async function runWorldCatBatch<P, R>(
  ctx: ScriptContext,
  conn: Connection,
  common: CommonValues,
  options: WorldCatBatchOptions<P, R>,
): Promise<BatchSummary> {
  const accountMax = conn.client.account.concurrency;
  const concurrency = common.concurrency ?? accountMax;
  if (concurrency > accountMax) {
    ctx.log.warn(
      `--concurrency ${concurrency} is more than account ${conn.client.label} allows (${accountMax}); requests wait for a free connection`,
    );
  }
  // The transport retries 429s itself; each one also tells the batch to shrink its window.
  const active = new Set<HandlerEnv>();
  const off = conn.service.onTransportLog((line) => {
    if (/: HTTP 429;/.test(line)) for (const env of active) env.throttled();
    ctx.log.debug(line);
  });
  if (common.dryRun) ctx.log.info("dry run: nothing will be written to WorldCat");
  const resumeFrom = await resumePoint(ctx, common);
  // Every request in flight listens on the process's signal: more than Node's default warning level of 10.
  setMaxListeners(Math.max(64, 4 * concurrency), ctx.signal);
  try {
    const { account } = conn.client;
    return await runBatch(batchContext(ctx, account.context), {
      ...options,
      // Acting for another institution is in summary.json too, not only in the log.
      summaryExtra: account.context ? { account: account.name, context: account.context } : undefined,
      concurrency,
      dryRun: common.dryRun,
      resumeFrom,
      handle: async (item, env) => {
        active.add(env);
        try {
          return await options.handle(item, env);
        } finally {
          active.delete(env);
        }
      },
    });
  } finally {
    off();
  }
}

/**
 * The context the batch engine logs through: with `context:` on the account (acting for another
 * institution), every line says so.
 */
function batchContext(ctx: ScriptContext, context: string | undefined): ScriptContext {
  if (!context) return ctx;
  const tag = (m: string) => `[context ${context}] ${m}`;
  const log = {
    debug: (m: string) => ctx.log.debug(tag(m)),
    info: (m: string) => ctx.log.info(tag(m)),
    warn: (m: string) => ctx.log.warn(tag(m)),
    error: (m: string) => ctx.log.error(tag(m)),
  };
  return Object.create(ctx, { log: { value: log } }) as ScriptContext;
}

/**
 * Where to continue from: this very process when it has a checkpoint already (it was re-queued by a
 * shutdown and runs again: redoing its items could create records twice), else `--resume`, else the process
 * it was created to resume (a re-run from the UI).
 */
export async function resumePoint(
  ctx: ScriptContext,
  common: Pick<CommonValues, "resumeFrom">,
): Promise<number | undefined> {
  // Its own checkpoint first, also when it was given --resume: it holds what this process did after
  // copying the older one (resuming the older one again would redo that, unflagged).
  if ((await ctx.checkpoint.of(ctx.processId)) !== undefined) {
    ctx.log.info(`process ${ctx.processId} ran before (re-queued): continuing where it stopped`);
    return ctx.processId;
  }
  const self = await ctx.services.processes?.getProcess(ctx.processId);
  const from = common.resumeFrom ?? self?.resumedFrom ?? undefined;
  if (from !== undefined) await refuseLiveResume(ctx, from);
  return from;
}

/**
 * Resuming a process that is still queued or running would have both handle the same items: refused. A
 * RUNNING one whose worker died (kill -9) keeps its lease until it expires: we wait for that (the worker is
 * lost if the lease is not renewed meanwhile) instead of refusing a resume that is right after a crash.
 */
async function refuseLiveResume(ctx: ScriptContext, from: number): Promise<void> {
  if (from === ctx.processId) return;
  let waitedFor: number | undefined;
  for (;;) {
    const older = await ctx.services.processes?.getProcess(from);
    if (!older || (older.status !== "RUNNING" && older.status !== "SCHEDULED")) return;
    const expires = older.leaseExpiresAt ? Date.parse(older.leaseExpiresAt) : 0;
    const renewed = waitedFor !== undefined && expires > waitedFor;
    if (older.status === "SCHEDULED" || renewed) {
      throw new WorldCatScriptError(
        `cannot resume process ${from}: it is ${older.status}; cancel it (nightshift cancel ${from}) and resume it when it has stopped`,
      );
    }
    if (expires <= Date.now()) return; // its worker is gone; recovery marks it FAILED
    ctx.log.info(
      `process ${from} is still RUNNING; waiting until its lease expires (${older.leaseExpiresAt})`,
    );
    waitedFor = expires;
    await sleep(expires - Date.now() + 100, undefined, { signal: ctx.signal });
  }
}

/**
 * The script's result: a batch that went through its whole input is COMPLETED, with the outcome `errors`
 * when some items failed or stayed unknown (`COMPLETED with errors: 7 of 24 failed`; report.csv says which);
 * FAILED only when it stopped before the end of its input.
 */
export function batchResult(summary: BatchSummary): ScriptResult {
  const { failed, unknown } = summary.byOutcome;
  if (!summary.completed) return { summary, failed: "the batch stopped before the end of its input" };
  return { summary, outcome: itemsOutcome({ total: summary.total, failed, unknown, warnings: 0 }) };
}
