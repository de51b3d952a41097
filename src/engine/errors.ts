import { NightshiftError } from "../errors.js";

/** Base of every error the engine makes on purpose. */
export class EngineError extends NightshiftError {}

export class ScriptNotFoundError extends EngineError {
  constructor(readonly script: string) {
    super(`no script named '${script}'`, "SCRIPT_NOT_FOUND");
  }
}

export class ProcessNotFoundError extends EngineError {
  constructor(readonly processId: number) {
    super(`no process ${processId}`, "PROCESS_NOT_FOUND");
  }
}

/** Deleting (or otherwise changing) a process that is RUNNING. */
export class ProcessRunningError extends EngineError {
  constructor(
    readonly processId: number,
    action: string,
  ) {
    super(`process ${processId} is RUNNING: cannot ${action} it (cancel it first)`, "PROCESS_RUNNING");
  }
}

/** A file parameter names a file that was not uploaded with the process. */
/** A process this worker no longer runs (it ended, or its lease went to another worker). */
export class ProcessNotOwnedError extends EngineError {
  constructor(readonly processId: number) {
    super(
      `process ${processId} is no longer running on this worker: nothing of it is saved`,
      "PROCESS_NOT_OWNED",
    );
  }
}

export class MissingUploadError extends EngineError {
  constructor(readonly fileName: string) {
    super(`file '${fileName}' is named by a parameter but was not uploaded`, "MISSING_UPLOAD");
  }
}

/** `ctx.input(name)` for a name that is not an input file of the process. */
export class UnknownInputError extends EngineError {
  constructor(
    readonly processId: number,
    readonly fileName: string,
  ) {
    super(`process ${processId} has no input file '${fileName}'`, "UNKNOWN_INPUT");
  }
}

/** Re-running a process whose secret parameter values were never stored. */
export class SecretRerunError extends EngineError {
  constructor(
    readonly processId: number,
    readonly parameters: readonly string[],
  ) {
    super(
      `process ${processId} had secret parameters (${parameters.join(", ")}) whose values are not stored: start a new process with them instead`,
      "SECRET_RERUN",
    );
  }
}

/** Why a running process's AbortSignal fired. */
export type AbortKind = "cancel" | "timeout" | "shutdown" | "lease-lost" | "disk-full";

/**
 * The `signal.reason` of a script's AbortSignal; `kind` says which. `signal.throwIfAborted()` throws it.
 *
 * ```ts
 * if (ctx.signal.aborted && (ctx.signal.reason as ProcessAbortedError).kind === "shutdown") await save();
 * ```
 */
export class ProcessAbortedError extends EngineError {
  constructor(
    readonly kind: AbortKind,
    message: string,
  ) {
    super(message, `ABORTED_${kind.toUpperCase().replace("-", "_")}`);
  }
}

/** The data directory is open to other local users and cannot be made private (0700). */
export class DataDirNotPrivateError extends EngineError {
  constructor(
    readonly dataDir: string,
    mode: number,
    reason: string,
  ) {
    super(
      `the data directory ${dataDir} is open to other local users (mode ${mode.toString(8).padStart(4, "0")}) and cannot be made private (${reason}): run Nightshift as the directory's owner, or make it mode 0700 yourself`,
      "DATA_DIR_NOT_PRIVATE",
    );
  }
}

/** A process file recorded in the database whose bytes are not in the file store (deleted by hand, or lost). */
export class FileMissingError extends EngineError {
  constructor(readonly path: string) {
    super(`the bytes of process file ${path} are not in the file store`, "FILE_MISSING");
  }
}
