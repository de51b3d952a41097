import { coerceError, NightshiftError } from "../errors.js";
import type { ClaimedRow } from "../store/queries/claim-processes.js";
import { listProcessFiles } from "../store/queries/process-files.js";
import { updateProgress } from "../store/queries/update-progress.js";
import type { ProcessRow } from "../store/schema.js";
import type { Store } from "../store/store.js";
import { createCheckpoint } from "./checkpoint.js";
import type { Clock } from "./clock.js";
import { createScriptContext, type OutputFile } from "./context.js";
import { type AbortKind, ProcessAbortedError } from "./errors.js";
import type { EngineEmitter } from "./events.js";
import type { FileStore } from "./file-store.js";
import { failStranded, finalizeProcess } from "./finalize.js";
import type { FinishHook } from "./finish-hook.js";
import { decideOutcome, type Settled, seconds } from "./outcome.js";
import { openProcessLog } from "./process-log.js";
import { type ProcessRecord, toProcessFile, toProcessRecord } from "./process-record.js";
import type { ScriptRegistry } from "./registry.js";
import { type BoundSchedule, bindSchedule } from "./schedule-binding.js";
import type { ParamValues, ScriptDefinition, ScriptResult, ScriptServices } from "./script.js";
import { resolveSecrets } from "./secrets.js";
import type { SecretVault } from "./vault.js";

export interface RunnerDeps {
  readonly store: Store;
  readonly events: EngineEmitter;
  readonly scripts: ScriptRegistry;
  readonly vault: SecretVault;
  readonly dataDir: string;
  /** Where process files and logs live (the data directory or PostgreSQL). */
  readonly files: FileStore;
  readonly workerId: string;
  readonly clock: Clock;
  /** How long a script may take to stop after its signal fired before the engine ends it anyway. */
  readonly abortGraceMs: number;
  /** Progress reaches the database at most this often (events carry every call). */
  readonly progressFlushMs: number;
  /** What `ctx.services` holds for a process (the engine adds the process service; WorldCat adds its client). */
  readonly services?: (process: ProcessRecord) => ScriptServices;
  /** Run in the transaction that ends each process (the notification outbox). */
  readonly onFinish?: FinishHook;
}

/** A process this worker runs. */
export interface RunningProcess {
  readonly id: number;
  readonly script: string;
  /** Fires the script's AbortSignal; graceMs overrides the grace period for this abort. */
  abort(kind: AbortKind, message: string, graceMs?: number): void;
  /** Settles when the process is recorded as ended (or re-queued); never rejects. */
  readonly done: Promise<void>;
}

/** Runs a claimed (RUNNING) process row to its end. */
export function startProcess(row: ProcessRow, deps: RunnerDeps): RunningProcess {
  const controller = new AbortController();
  let graceMs = deps.abortGraceMs;
  let ended = false;
  const abort = (kind: AbortKind, message: string, grace?: number) => {
    if (ended || controller.signal.aborted) return;
    if (grace !== undefined) graceMs = grace;
    controller.abort(new ProcessAbortedError(kind, message));
  };
  const done = run(
    row,
    deps,
    controller.signal,
    abort,
    () => graceMs,
    () => {
      ended = true;
    },
  )
    .catch((err: unknown) => {
      deps.events.emit("engine:error", { error: coerceError(err), context: `process ${row.id}` });
      // Not ended: left RUNNING, its lease would be renewed by every heartbeat of this worker, for ever.
      return failStranded(row, deps, err);
    })
    .catch((err: unknown) => {
      deps.events.emit("engine:error", { error: coerceError(err), context: `process ${row.id}` });
    });
  return { id: row.id, script: row.script, abort, done };
}

async function run(
  row: ProcessRow,
  deps: RunnerDeps,
  signal: AbortSignal,
  abort: RunningProcess["abort"],
  grace: () => number,
  markEnded: () => void,
) {
  const script = deps.scripts.require(row.script);
  const secrets = resolveSecrets(row, deps.vault);
  const sink = deps.files.logs.open(row.id, (error) =>
    deps.events.emit("engine:error", { error, context: `log of process ${row.id}` }),
  );
  const writer = openProcessLog(sink, {
    secrets: secrets.strings,
    now: () => deps.clock.now(),
    onLine: (line) => deps.events.emit("process:log", { processId: row.id, ...line }),
  });
  const outputs: OutputFile[] = [];
  // Outputs kept with the checkpoints (a batch's report): stored as they grow, so finalize only adds the rest.
  const kept = new Set<string>();
  const progress = createProgress(row.id, deps);
  writer.log.info(
    `process ${row.id} (${row.script}) started by ${row.started_by} on worker ${deps.workerId}`,
  );
  let clearTimer: () => void = () => undefined;
  let settled: Settled;
  let schedule: BoundSchedule | undefined;
  if (secrets.missing.length > 0) {
    const error = `the values of secret parameters (${secrets.missing.join(", ")}) were held in memory by the worker that created the process and are gone; start it again`;
    settled = { kind: "threw", error: new Error(error) };
  } else {
    try {
      // The claim may have said there are none (PostgreSQL): no round trip to list them then.
      const none = (row as Partial<ClaimedRow>).has_inputs === false;
      const inputs = none
        ? []
        : (await listProcessFiles(deps.store.db, row.id, "inputfile")).map(toProcessFile);
      // A script reads local files: inputs kept in PostgreSQL are fetched into this node's data directory.
      if (deps.files.kind !== "directory") for (const f of inputs) await deps.files.fetch(f.path);
      schedule = await bindSchedule(deps.store, row);
      const ctx = createScriptContext({
        processId: row.id,
        dataDir: deps.dataDir,
        params: secrets.values as ParamValues,
        log: writer.log,
        inputs,
        signal,
        checkpoint: createCheckpoint(deps.store, row.id, deps.workerId, {
          files: deps.files,
          dataDir: deps.dataDir,
          outputs,
          kept,
          now: () => deps.clock.now(),
        }),
        progress: progress.report,
        outputs,
        services: deps.services?.(toProcessRecord(row)) ?? {},
        schedule: schedule?.binding,
      });
      clearTimer = startTimeout(script, (message) => abort("timeout", message));
      settled = await runScript(script, ctx, signal, grace);
    } catch (error) {
      // Setting up the script's context failed (e.g. the host's services): the process fails like a throw.
      settled = { kind: "threw", error };
    }
  }
  clearTimer();
  progress.stop();
  markEnded(); // from here on an abort changes nothing
  const outcome = decideOutcome(settled, signal.aborted ? signal.reason : undefined);
  if (
    settled.kind === "threw" &&
    outcome.kind === "finish" &&
    outcome.status === "FAILED" &&
    !signal.aborted
  ) {
    // Our own errors say what and where in their message, which the FAILED line carries: a stack trace
    // would only bury it. Anything else (a bug in a script) keeps its stack for whoever fixes it.
    // A thrown non-Error has no stack worth showing: the FAILED line says what it was.
    const err = settled.error;
    if (err instanceof Error && !(err instanceof NightshiftError)) writer.log.error(err.stack ?? err.message);
  }
  if (settled.kind === "abandoned")
    writer.log.warn(`script did not stop within ${seconds(grace())} s of its abort`);
  await finalizeProcess(row, outcome, {
    deps,
    writer,
    outputs,
    kept,
    progress: progress.last(),
    scheduleState: schedule?.pending(),
  });
}

/** Longest delay a Node timer holds; a longer one fires after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The per-script timeout: past it the process is aborted and ends FAILED. Re-armed in steps, as a timeout of
 * 25 days or more (`timeout: 30d`) would otherwise fire at once. Returns the function that clears it.
 */
function startTimeout(script: ScriptDefinition, fire: (message: string) => void): () => void {
  const ms = script.timeoutMs;
  if (!ms) return () => undefined;
  let left = ms;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const step = Math.min(left, MAX_TIMER_MS);
    left -= step;
    timer = setTimeout(() => (left > 0 ? arm() : fire(`timed out after ${seconds(ms)} s`)), step);
  };
  arm();
  return () => clearTimeout(timer);
}

async function runScript(
  script: ScriptDefinition,
  ctx: Parameters<ScriptDefinition["run"]>[0],
  signal: AbortSignal,
  grace: () => number,
): Promise<Settled> {
  const settled = Promise.resolve()
    .then(() => script.run(ctx))
    .then(
      (value): Settled => ({ kind: "returned", value: value as ScriptResult | undefined }),
      (error: unknown): Settled => ({ kind: "threw", error }),
    );
  let graceTimer: NodeJS.Timeout | undefined;
  let onAbort: () => void = () => undefined;
  const abandoned = new Promise<Settled>((resolve) => {
    onAbort = () => {
      graceTimer = setTimeout(() => resolve({ kind: "abandoned" }), grace());
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([settled, abandoned]);
  } finally {
    signal.removeEventListener("abort", onAbort);
    clearTimeout(graceTimer);
  }
}

function createProgress(processId: number, deps: RunnerDeps) {
  let latest: { done: number; total: number | null } | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const flush = () => {
    timer = undefined;
    const p = latest;
    if (!p) return;
    deps.store
      .write((db) => updateProgress(db, processId, p.done, p.total, deps.workerId))
      .catch((err: unknown) =>
        deps.events.emit("engine:error", { error: coerceError(err), context: `progress of ${processId}` }),
      );
  };
  return {
    report(done: number, total?: number) {
      if (stopped) return; // the process has ended: a script still going is not heard
      latest = { done, total: total ?? null };
      deps.events.emit("process:progress", { processId, done, total: total ?? null });
      timer ??= setTimeout(flush, deps.progressFlushMs);
    },
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    last: () => latest,
  };
}
