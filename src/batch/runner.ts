/**
 * The batch runner: pulls entries from a source, runs the handler on up to `concurrency` of them at once
 * (AIMD on throttling, under shared permits), reports results in input order through a bounded reorder
 * window, checkpoints, and stops cleanly on abort. See README.md for the guarantees.
 *
 * ```ts
 * const summary = await runBatch(ctx, {
 *   source: textNumberSource(ctx.input(String(ctx.params.input))),
 *   action: "set",
 *   handle: async (item, env) => { if (!env.dryRun) await setHolding(item.payload); return { outcome: "ok" }; },
 * });
 * ```
 */

import type { KeptOutput } from "../engine/script.js";
import { type BatchCheckpoint, loadResumePlan, type ResumePlan, suspectsAfter } from "./checkpoint.js";
import { type CheckpointSaver, createCheckpointSaver } from "./checkpoint-saver.js";
import type { BatchItem, ItemResult, ReportedItem, SourceEntry } from "./item.js";
import { isFailure, OUTCOMES } from "./item.js";
import { type BatchContext, type BatchOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { createProgressMeter, type ProgressMeter } from "./progress.js";
import { createReportWriter, type ReportWriter, reportRow } from "./report.js";
import { copyReportedRows, savedReport } from "./resume.js";
import type { FailuresSink } from "./source.js";
import { type BatchSummary, buildSummary, writeSummary } from "./summary.js";
import { createTally, type TallyCounter } from "./tally.js";
import { type AdaptiveWindow, createAdaptiveWindow } from "./window.js";

/**
 * With a report that is not live, each save sets the horizon this many reorder windows past the next row,
 * and a save is asked for once fewer than HORIZON_SAVE_AT windows are left: a save every few windows of
 * rows, a resumed run checks at most HORIZON_AHEAD windows of items before redoing them.
 */
const HORIZON_AHEAD = 4;
const HORIZON_SAVE_AT = 2;
/** At the horizon with a save that failed: the pause before the next try. */
const HORIZON_RETRY_MS = 1000;

/** Runs a batch to the end of its input, or until `ctx.signal` aborts; returns what summary.json holds. */
export async function runBatch<P, R>(ctx: BatchContext, options: BatchOptions<P, R>): Promise<BatchSummary> {
  return new BatchRun(ctx, resolveOptions(options)).run();
}

interface Settled<R> extends ReportedItem<R> {
  readonly result: ItemResult;
}

interface Retry<P, R> {
  readonly item: BatchItem<P, R>;
  readonly retries: number;
}

type Attempt =
  | { kind: "done"; result: ItemResult }
  | { kind: "interrupted" }
  | { kind: "throttled"; err: unknown };

class BatchRun<P, R> {
  private readonly window: AdaptiveWindow;
  private readonly tally: TallyCounter = createTally();
  private readonly ready = new Map<number, Settled<R>>();
  private readonly suspects = new Set<number>();
  private readonly retryQueue: Retry<P, R>[] = [];
  private restored: ReadonlyMap<number, ItemResult> = new Map();
  /** With `duplicates: "flag"`: each OCLC number's first line (or item) in the input. */
  private readonly firstSeen = new Map<string, string>();
  private entries!: AsyncIterator<SourceEntry<P, R>>;
  private report!: ReportWriter;
  /** The report's name in checkpoints (`ctx.checkpoint.keep`), and whether what is written is read at once. */
  private reportKept: KeptOutput = { name: "", live: true };
  /**
   * The horizon of the last save (a report that is not live): no position at or past it may start, as a
   * resumed run knows only that nothing past it was started.
   */
  private horizon = 0;
  private failures: FailuresSink<R> | undefined;
  private failuresName: string | null = null;
  private progress!: ProgressMeter;
  private nextPosition = 1;
  private pulled = 0;
  private inFlight = 0;
  private sleeping = 0;
  private exhausted = false;
  /** The source could not be read: the batch stops, and this is rethrown at its end. */
  private sourceError: unknown;
  /** `onReported` threw: nothing more is reported, the batch stops, and this is rethrown at its end. */
  private hookError: unknown;
  /** Settling an attempt threw: the batch stops, and this is rethrown at its end. */
  private fault: unknown;
  private handled = 0;
  private resumedItems = 0;
  private wake: () => void = () => {};
  private readonly saver: CheckpointSaver;

  constructor(
    private readonly ctx: BatchContext,
    private readonly o: ResolvedOptions<P, R>,
  ) {
    this.window = createAdaptiveWindow(o.concurrency);
    this.saver = createCheckpointSaver({
      checkpoint: ctx.checkpoint,
      snapshot: (clean) => this.snapshot(clean),
      saved: (state) => this.saved(state),
      log: ctx.log,
      now: o.now,
      every: o.checkpointEvery,
      intervalMs: o.checkpointIntervalMs,
    });
  }

  async run(): Promise<BatchSummary> {
    const started = this.o.now();
    this.progress = createProgressMeter({
      report: (done, total) => this.ctx.progress(done, total),
      log: this.ctx.log,
      now: this.o.now,
      intervalMs: this.o.progressIntervalMs,
      logIntervalMs: this.o.etaLogIntervalMs,
    });
    // A byte scan (a few ms per 100,000 lines) so progress has its total from the start.
    this.progress.total = await this.o.source.count?.().catch(() => undefined);
    const plan = this.o.resumeFrom === undefined ? undefined : await this.loadPlan(this.o.resumeFrom);
    this.entries = this.o.source.entries()[Symbol.asyncIterator]();
    const reportPath = this.ctx.output("report.csv", "report");
    this.report = createReportWriter(reportPath);
    // Stored with every checkpoint from now on (PostgreSQL): a resume on any node reads what was saved.
    this.reportKept = this.ctx.checkpoint.keep(reportPath);
    try {
      if (plan) await this.resume(plan);
      // Not through the saver, which logs a failed save and goes on: no item may start unless a checkpoint
      // says items may have been started (else a crash is resumed from no checkpoint, or from the clean one
      // copied from the resumed process, and what this run did is done again unflagged).
      const first = this.snapshot(false);
      await this.ctx.checkpoint.save(first);
      this.saved(first);
      await this.loop();
    } finally {
      await this.entries.return?.().catch(() => undefined);
      this.report.close();
      await this.failures?.close();
    }
    return this.finish(started);
  }

  private async loadPlan(processId: number): Promise<ResumePlan | undefined> {
    const plan = await loadResumePlan(this.ctx.checkpoint, processId);
    if (!plan)
      this.ctx.log.warn(
        `process ${processId} saved no checkpoint (it started no item): starting from the first item`,
      );
    return plan;
  }

  /** Copies the reported rows of the previous run, then takes over its kept results and suspects. */
  private async resume(plan: ResumePlan): Promise<void> {
    // Until our own report holds the copied rows, the previous checkpoint is the one to resume from.
    await this.ctx.checkpoint.save(plan.checkpoint);
    const cp = plan.checkpoint;
    const copied = await copyReportedRows(
      plan.fromProcess,
      savedReport(this.ctx.checkpoint, cp),
      cp.nextPosition - 1,
      this.entries,
      {
        row: (row) => {
          this.report.add(row);
          this.tally.add(row.outcome, row.errorCode);
        },
        failure: (raw) => this.failureSink().write(raw),
        entry: (entry) => this.firstOf(entry),
      },
    );
    this.report.flush();
    this.nextPosition = copied + 1;
    this.pulled = copied;
    this.resumedItems = copied;
    const kept = [...plan.done].filter(([p]) => p > copied);
    for (const p of suspectsAfter(cp, copied)) this.suspects.add(p);
    // Redone kept results are flagged: a handler that writes must look before writing again.
    if (this.o.keptResults === "redo") for (const [p] of kept) this.suspects.add(p);
    else this.restored = new Map(kept);
    const what = this.o.keptResults === "redo" ? "to redo" : "to report as they are";
    this.ctx.log.info(
      `resuming process ${plan.fromProcess}: ${copied} items already reported, ` +
        `${kept.length} completed out of order (${what}), ${this.suspects.size} to check before redoing`,
    );
  }

  private async loop(): Promise<void> {
    for (;;) {
      await this.fill();
      this.emit();
      const busy = this.inFlight + this.sleeping + this.retryQueue.length;
      if (busy === 0 && (this.exhausted || this.stopping)) return;
      if (this.inFlight + this.sleeping > 0) await new Promise<void>((resolve) => (this.wake = resolve));
      else if (this.atHorizon) await this.saveForHorizon();
    }
  }

  /** The next position may not start before a save moves the horizon past it (a report that is not live). */
  private get atHorizon(): boolean {
    return !this.reportKept.live && this.pulled + 1 >= this.horizon;
  }

  /** Nothing in flight and at the horizon: a save moves it (waited for; after a failed one, a pause). */
  private async saveForHorizon(): Promise<void> {
    const before = this.horizon;
    await this.saver.save(false);
    if (this.horizon === before && !this.stopping)
      await this.o.sleep(HORIZON_RETRY_MS, this.ctx.signal).catch(() => undefined);
  }

  private get stopping(): boolean {
    return (
      this.ctx.signal.aborted ||
      this.sourceError !== undefined ||
      this.hookError !== undefined ||
      this.fault !== undefined
    );
  }

  /** Starts retries, then new entries, while the window and the reorder buffer have room. */
  private async fill(): Promise<void> {
    if (this.stopping) {
      for (const r of this.retryQueue.splice(0)) this.suspects.add(r.item.position);
      return;
    }
    while (this.retryQueue.length > 0 && this.inFlight < this.window.limit)
      this.start(this.retryQueue.shift()!);
    while (
      !this.stopping &&
      !this.exhausted &&
      !this.atHorizon &&
      this.inFlight < this.window.limit &&
      this.pulled + 1 - this.nextPosition < this.o.reorderWindow
    ) {
      let next: IteratorResult<SourceEntry<P, R>>;
      try {
        next = await this.entries.next();
      } catch (err) {
        this.sourceError = err;
        return;
      }
      if (next.done) {
        this.exhausted = true;
        return;
      }
      this.take(next.value);
    }
  }

  private take(entry: SourceEntry<P, R>): void {
    this.pulled++;
    if (entry.position !== this.pulled) {
      throw new Error(`source yielded position ${entry.position} where ${this.pulled} was due`);
    }
    const restored = this.restored.get(entry.position);
    const first = entry.invalid === undefined ? this.firstOf(entry) : undefined;
    if (entry.invalid !== undefined) {
      this.settle(entry, { outcome: "failed", oclcCode: "INVALID_INPUT", message: entry.invalid });
    } else if (restored) {
      this.settle(entry, restored);
    } else if (first !== undefined) {
      this.settle(entry, { outcome: "skipped", oclcCode: "DUPLICATE", message: `duplicate of ${first}` });
    } else {
      const { position, line, inputId, raw, oclcNumber, payload } = entry;
      const item: BatchItem<P, R> = {
        position,
        line,
        inputId,
        raw,
        oclcNumber,
        payload,
        maybeAttempted: this.suspects.has(position),
      };
      this.start({ item, retries: 0 });
    }
  }

  private start(task: Retry<P, R>): void {
    this.inFlight++;
    void this.attempt(task.item).then(
      (attempt) => this.afterAttempt(task, () => this.onAttempt(task, attempt)),
      (err: unknown) =>
        this.afterAttempt(task, () => {
          throw err;
        }),
    );
  }

  /** One synchronous step: the loop never sees the item neither in flight nor settled (or stopping). */
  private afterAttempt(task: Retry<P, R>, step: () => void): void {
    this.inFlight--;
    try {
      step();
    } catch (err) {
      // The runner's own step failed (a classifier or a log that throws): stop, as on a source error, instead
      // of waiting for ever on an item that never settles (or an unhandled rejection ending the server).
      this.suspects.add(task.item.position);
      this.fault ??= err;
    }
    this.wake();
  }

  private onAttempt(task: Retry<P, R>, attempt: Attempt): void {
    const { item } = task;
    if (attempt.kind === "done") {
      this.handled++;
      this.settle(item, attempt.result);
    } else if (attempt.kind === "interrupted") {
      this.suspects.add(item.position);
    } else if (task.retries >= this.o.maxThrottleRetries) {
      this.handled++;
      this.settle(item, this.o.classifyError(attempt.err));
    } else {
      // Wait outside the window, then queue: retries are started under the (now smaller) window too.
      this.sleeping++;
      this.o.sleep(this.o.throttleBackoffMs(task.retries + 1, attempt.err), this.ctx.signal).then(
        () => {
          this.sleeping--;
          this.retryQueue.push({ item, retries: task.retries + 1 });
          this.wake();
        },
        () => {
          this.sleeping--;
          this.suspects.add(item.position);
          this.wake();
        },
      );
    }
  }

  private async attempt(item: BatchItem<P, R>): Promise<Attempt> {
    const epoch = this.window.epoch;
    const signal = this.ctx.signal;
    try {
      await this.o.permits?.acquire(signal);
      const env = { dryRun: this.o.dryRun, signal, throttled: () => this.throttled(epoch) };
      const result = await this.o.handle(item, env);
      this.window.succeeded(epoch);
      if (!result || !OUTCOMES.includes(result.outcome)) {
        return {
          kind: "done",
          result: {
            outcome: "failed",
            oclcCode: "BATCH_HANDLER",
            message: "the handler returned no outcome",
          },
        };
      }
      return { kind: "done", result };
    } catch (err) {
      if (signal.aborted) return { kind: "interrupted" };
      if (this.o.isThrottle(err)) {
        this.throttled(epoch);
        return { kind: "throttled", err };
      }
      return { kind: "done", result: this.o.classifyError(err) };
    }
  }

  private throttled(epoch: number): void {
    const before = this.window.limit;
    if (this.window.throttled(epoch)) {
      this.ctx.log.warn(`throttled by the service: concurrency ${before} -> ${this.window.limit}`);
    }
  }

  /**
   * With `duplicates: "flag"`: where the entry's OCLC number was first seen (`line 4`), when it was; else
   * notes this entry as the first. A repeated number is reported, not done again.
   */
  private firstOf(entry: SourceEntry<P, R>): string | undefined {
    if (this.o.duplicates !== "flag" || entry.oclcNumber === undefined) return undefined;
    const first = this.firstSeen.get(entry.oclcNumber);
    if (first === undefined)
      this.firstSeen.set(entry.oclcNumber, entry.line ? `line ${entry.line}` : `item ${entry.position}`);
    return first;
  }

  private settle(
    entry: { position: number; line?: number; inputId: string; oclcNumber?: string; raw: R },
    result: ItemResult,
  ): void {
    this.ready.set(entry.position, {
      line: entry.line,
      inputId: entry.inputId,
      oclcNumber: entry.oclcNumber,
      raw: entry.raw,
      result,
    });
  }

  /** Reports every result that is next in input order. Synchronous: rows are on disk before anything else runs. */
  private emit(): void {
    let reported = 0;
    for (let s = this.ready.get(this.nextPosition); s; s = this.ready.get(this.nextPosition)) {
      if (this.hookError !== undefined) break;
      this.ready.delete(this.nextPosition);
      const row = reportRow(this.nextPosition, s.line, s.inputId, s.oclcNumber, s.result, this.o.action);
      this.report.add(row);
      this.tally.add(row.outcome, row.errorCode);
      if (isFailure(row.outcome)) this.failureSink().write(s.raw);
      this.tellReported(this.nextPosition, s);
      this.suspects.delete(this.nextPosition);
      this.nextPosition++;
      reported++;
    }
    if (reported === 0) return;
    this.report.flush();
    this.progress.update(this.nextPosition - 1, this.handled);
    this.saver.reported(reported);
    // Saved ahead of the horizon (a report that is not live), so the runner seldom waits for it.
    if (!this.reportKept.live && this.horizon - this.nextPosition <= HORIZON_SAVE_AT * this.o.reorderWindow)
      void this.saver.save(false);
  }

  private tellReported(position: number, s: Settled<R>): void {
    if (!this.o.onReported) return;
    try {
      this.o.onReported(position, { inputId: s.inputId, oclcNumber: s.oclcNumber, raw: s.raw }, s.result);
    } catch (err) {
      this.ctx.log.error(`stopping: onReported failed at item ${position}`);
      this.hookError = err;
    }
  }

  private failureSink(): FailuresSink<R> {
    if (!this.failures) {
      this.failuresName = `failures.${this.o.source.failures.extension}`;
      this.failures = this.o.source.failures.open(this.ctx.output(this.failuresName, "failures"));
    }
    return this.failures;
  }

  private snapshot(clean: boolean): BatchCheckpoint {
    // The rows this checkpoint counts as reported are on the disk before it is saved.
    this.report.sync();
    const unreported = (p: number) => p >= this.nextPosition;
    return {
      kind: "nightshift.batch",
      version: 2,
      report: this.reportKept.name,
      nextPosition: this.nextPosition,
      window: this.o.reorderWindow,
      ...(this.reportKept.live
        ? {}
        : { horizon: Math.max(this.horizon, this.nextPosition + HORIZON_AHEAD * this.o.reorderWindow) }),
      done: this.keptResults(),
      suspects: [...this.suspects].filter(unreported).sort((a, b) => a - b),
      clean,
      finished: clean && this.exhausted && this.nextPosition > this.pulled,
    };
  }

  /** A save went through: its horizon is the one that holds now. */
  private saved(state: BatchCheckpoint): void {
    if (state.horizon !== undefined && state.horizon > this.horizon) this.horizon = state.horizon;
    this.wake();
  }

  /** Results not yet reported: completed out of order here, and those kept from a resumed run not yet read. */
  private keptResults(): [number, ItemResult][] {
    const kept = new Map<number, ItemResult>();
    for (const [p, r] of this.restored) if (p >= this.nextPosition) kept.set(p, r);
    for (const [p, s] of this.ready) if (p >= this.nextPosition) kept.set(p, s.result);
    return [...kept.entries()].sort(([a], [b]) => a - b);
  }

  private async finish(started: number): Promise<BatchSummary> {
    await this.saver.save(true);
    const completed = this.exhausted && !this.stopping && this.nextPosition > this.pulled;
    const summary = buildSummary({
      tally: this.tally.snapshot(),
      started,
      finished: this.o.now(),
      handled: this.handled,
      dryRun: this.o.dryRun,
      resumedFrom: this.o.resumeFrom,
      resumedItems: this.resumedItems,
      completed,
      inputFormat: this.o.source.format,
      failuresName: this.failuresName,
    });
    writeSummary(
      this.ctx.output("summary.json", "summary"),
      this.o.summaryExtra ? { ...summary, ...this.o.summaryExtra } : summary,
    );
    this.progress.update(this.nextPosition - 1, this.handled, true);
    const counts = OUTCOMES.map((o) => `${summary.byOutcome[o]} ${o}`).join(", ");
    const how = completed ? "done" : "stopped before the end of the input (resume to finish)";
    this.ctx.log.info(
      `batch ${how}: ${summary.total} items reported (${counts}) in ${summary.durationMs} ms`,
    );
    if (this.sourceError !== undefined) throw this.sourceError;
    if (this.hookError !== undefined) throw this.hookError;
    if (this.fault !== undefined) throw this.fault;
    return summary;
  }
}
