/**
 * A script: a named unit of work with declared parameters. One definition serves the CLI, REST, the UI,
 * schedules and triggers.
 *
 * ```ts
 * export default defineScript({
 *   name: "hello", description: "Says hello",
 *   parameters: [{ name: "-n", nameLong: "--name", type: "string", required: true, description: "who" }],
 *   async run(ctx) { ctx.log.info(`hello ${ctx.params.name}`); },
 * });
 * ```
 */
import type { Readable } from "node:stream";

export type ParameterType = "string" | "integer" | "boolean" | "date" | "enum" | "file" | "output";

export interface ParameterDefinition {
  /** Short name with its dash, e.g. `-f`. */
  readonly name: string;
  /** Long name with its dashes, e.g. `--file`. Its camelCase form (`file`, `holdingCode`) keys `ctx.params`. */
  readonly nameLong: string;
  /** Other short names still accepted (a short name that changed keeps working), e.g. `-s` for `--account`. */
  readonly aliases?: readonly string[];
  readonly type: ParameterType;
  readonly description: string;
  readonly required?: boolean;
  readonly default?: string | number | boolean;
  /** Allowed values for `enum`. */
  readonly values?: readonly string[];
  /** Stored masked (`********`) in the process record; never logged. */
  readonly secret?: boolean;
}

/** Parsed, typed parameter values keyed by the camelCase long name. Dates are ISO strings; files are names. */
export type ParamValues = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ProcessLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** `report` is report.csv, `summary` summary.json: one type each, so REST `/files/{type}` names one file. */
export type FileType = "inputfile" | "log" | "report" | "summary" | "failures" | (string & {});

export interface ScriptContext {
  readonly processId: number;
  readonly params: ParamValues;
  readonly log: ProcessLog;
  /** Records progress on the process (done of total; total may be unknown). */
  progress(done: number, total?: number): void;
  /** Absolute path of an uploaded input file, by the parameter's value (the uploaded file's name). */
  input(name: string): string;
  /**
   * Creates an output file of the process and returns its absolute path to write to. The name is a display
   * name (e.g. `report.csv`); it is sanitised and never used as a path component unchecked.
   */
  output(name: string, type?: FileType): string;
  /** Aborted on cancel, timeout and graceful shutdown; `signal.reason` says which. */
  readonly signal: AbortSignal;
  readonly checkpoint: Checkpoint;
  /** Service-account bound services (the WorldCat client), set by the host that runs the script. */
  readonly services: ScriptServices;
  /** The schedule that started this process, with its state; absent when no schedule started it. */
  readonly schedule?: ScheduleBinding;
}

/**
 * What a process started by a schedule knows of it: its name, the slot it fired for, and the schedule's small
 * JSON state (e.g. a harvest watermark). `setState` is committed only when the process ends COMPLETED, so a
 * failed run is retried from the same point next time.
 */
export interface ScheduleBinding {
  readonly name: string;
  /** The slot this process fired for (ISO time); absent for "run now". */
  readonly scheduledFor?: string;
  /** The state as the last COMPLETED process of the schedule left it; undefined when there is none. */
  readonly state: unknown;
  setState(next: unknown): void;
}

/** Small durable state to resume from (JSON). Survives crashes; read by a resumed process. */
export interface Checkpoint {
  get<T = unknown>(): Promise<T | undefined>;
  /**
   * Saves the state; with it (in one transaction) the bytes written so far to every kept output become
   * readable by any node, so a state that counts on them never outlives them.
   */
  save(state: unknown): Promise<void>;
  /** Checkpoint of another process (for `--resume <processId>`). */
  of<T = unknown>(processId: number): Promise<T | undefined>;
  /**
   * Keeps an output (a path `ctx.output` gave; written by appending only) with every checkpoint saved from now
   * on, so a resumed process on any node can read what it held at the last save: by the returned `name`,
   * which the state should carry, through `read`. The output is listed among the process's files from the
   * first save on (the part saved so far, for a process that dies before it ends).
   */
  keep(outputPath: string): KeptOutput;
  /** A kept output of this or another process (its `name` from `keep`), streamed. */
  read(name: string): Readable;
}

export interface KeptOutput {
  /** What `read` takes, on any node (`processes/<id>/files/<generated>`). */
  readonly name: string;
  /**
   * True when what is written is readable by every node at once (a shared directory); false when only what
   * the last save stored is (PostgreSQL): a resumed run then knows nothing written after the last save.
   */
  readonly live: boolean;
}

// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging from the layers that add services
export interface ScriptServices {}

export interface ScriptResult {
  /** Shown as the process's result summary (JSON). */
  readonly summary?: unknown;
  /**
   * Ends the process FAILED with this message although run() returned: the process itself could not finish
   * (a batch stopped before the end of its input). Items that failed in a batch that went through its whole
   * input are not this: they are the `outcome` `errors` of a COMPLETED process.
   */
  readonly failed?: string;
  /** How a COMPLETED process went, with the counts behind it (issue 17); see `itemOutcome`. */
  readonly outcome?: ItemsOutcome;
}

/** How the items of a COMPLETED process went: `COMPLETED with errors: 7 of 24 failed`. */
export interface ItemsOutcome {
  readonly outcome: "ok" | "warnings" | "errors";
  readonly counts: OutcomeCounts;
}

export interface OutcomeCounts {
  readonly total: number;
  /** Items that failed. */
  readonly failed: number;
  /** Items whose outcome is unknown (a write that may or may not have been applied). */
  readonly unknown: number;
  /** Items done, or found already done, with something to look at. */
  readonly warnings: number;
}

/** The outcome for these counts: errors when any item failed or is unknown, else warnings, else ok. */
export function itemsOutcome(counts: OutcomeCounts): ItemsOutcome {
  const outcome = counts.failed + counts.unknown > 0 ? "errors" : counts.warnings > 0 ? "warnings" : "ok";
  return { outcome, counts };
}

/**
 * What a script's `preflight` sees: the parameters and the input files, before any process exists. A
 * problem found here (`refuse`) is a bad parameter: the CLI exits 2, REST answers 422, nothing is created.
 */
export interface PreflightContext {
  readonly params: ParamValues;
  /** The local path of an input file, by the file parameter's value (a staged copy of the upload). */
  file(name: string): string;
  /** Refuses the start: `parameter` is the long name the problem is about (`--input`, `--column`). */
  refuse(parameter: string, message: string): never;
  /**
   * The services the process would run with, for the account it would run under (the WorldCat client, to
   * check a `--holding-code`); empty when the host gives none at preflight. Reaching them may fail (network):
   * a check that cannot be made here is left to the run.
   */
  readonly services: Partial<ScriptServices>;
  /** Whether a refusal may list the valid values (an admin, the command line; issue 15). */
  readonly listChoices: boolean;
}

export interface ScriptDefinition {
  readonly name: string;
  readonly description: string;
  readonly parameters: readonly ParameterDefinition[];
  /** At most this many processes of the script run at once (1 = never twice at once). */
  readonly maxConcurrent?: number;
  /** Milliseconds; past it the process is aborted and ends FAILED. */
  readonly timeoutMs?: number;
  /** Checks the parameters against the input files before a process is created (see PreflightContext). */
  preflight?(ctx: PreflightContext): Promise<void>;
  /** Runs even below the disk reserve, because it frees space (the process cleaner). */
  readonly freesDiskSpace?: boolean;
  // biome-ignore lint/suspicious/noConfusingVoidType: a script that reports nothing simply returns
  run(ctx: ScriptContext): Promise<ScriptResult | undefined | void>;
}

export function defineScript<const S extends ScriptDefinition>(script: S): S {
  return Object.freeze(script);
}
