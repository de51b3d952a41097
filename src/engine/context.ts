import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { PRIVATE_DIR } from "./data-dir.js";
import { UnknownInputError } from "./errors.js";
import { filesDirRel, generatedFileName } from "./paths.js";
import type { ProcessFile } from "./process-record.js";
import type {
  Checkpoint,
  FileType,
  ParamValues,
  ProcessLog,
  ScheduleBinding,
  ScriptContext,
  ScriptServices,
} from "./script.js";

/** An output a script asked for: display name, type, and the generated path relative to the data dir. */
export interface OutputFile {
  readonly name: string;
  readonly type: FileType;
  readonly path: string;
}

export interface ContextParts {
  readonly processId: number;
  readonly dataDir: string;
  readonly params: ParamValues;
  readonly log: ProcessLog;
  readonly inputs: readonly ProcessFile[];
  readonly signal: AbortSignal;
  readonly checkpoint: Checkpoint;
  readonly progress: (done: number, total?: number) => void;
  /** Receives every output the script creates, to be hashed and recorded when the process ends. */
  readonly outputs: OutputFile[];
  readonly services: ScriptServices;
  /** Set when a schedule started the process. */
  readonly schedule?: ScheduleBinding;
}

/** The `ctx` a script's run() gets. */
export function createScriptContext(parts: ContextParts): ScriptContext {
  const filesDir = filesDirRel(parts.processId);
  return Object.freeze({
    processId: parts.processId,
    params: parts.params,
    log: parts.log,
    progress: parts.progress,
    signal: parts.signal,
    checkpoint: parts.checkpoint,
    services: parts.services,
    ...(parts.schedule ? { schedule: parts.schedule } : {}),
    input(name: string): string {
      const file = parts.inputs.find((f) => f.name === name);
      if (!file) throw new UnknownInputError(parts.processId, name);
      return join(parts.dataDir, file.path);
    },
    output(name: string, type: FileType = "output"): string {
      const rel = join(filesDir, generatedFileName(name));
      mkdirSync(join(parts.dataDir, filesDir), { recursive: true, mode: PRIVATE_DIR });
      parts.outputs.push(Object.freeze({ name, type, path: rel }));
      return join(parts.dataDir, rel);
    },
  });
}
