/**
 * A process again, from what it was given: the same script, parameters and input files. `nightshift resume
 * <id>` and REST `POST processes/{id}/rerun` both build their new process here. A resume names the process it
 * continues as `--resume <id>` (replacing any `--resume` the older one had: it continues *that* process, not
 * the one before it), so the checks of `run --resume` apply to it unchanged (resume-check.ts).
 */
import { join } from "node:path";
import { getProcess } from "../store/queries/get-process.js";
import { listProcessFiles } from "../store/queries/process-files.js";
import type { Store } from "../store/store.js";
import { ProcessNotFoundError, SecretRerunError } from "./errors.js";
import type { FileStore } from "./file-store.js";
import { ParameterError, type ParsedParameters, parseProperties } from "./parameters.js";
import type { ScriptRegistry } from "./registry.js";
import type { ScriptDefinition } from "./script.js";

export interface AgainOptions {
  /** Continue where process `id` stopped (its checkpoint), with `--resume <id>`. */
  readonly resume: boolean;
  /** A new `--concurrency` (the one parameter a resume may change). */
  readonly concurrency?: number;
}

export interface AgainRequest {
  readonly script: ScriptDefinition;
  readonly parameters: ParsedParameters;
  readonly uploads: readonly { name: string; path: string }[];
  readonly priority: number;
  readonly account?: string;
  /** The process resumed, when `resume`. */
  readonly resumedFrom?: number;
}

interface Deps {
  readonly store: Store;
  readonly scripts: ScriptRegistry;
  readonly dataDir: string;
  /** Where the input files are (fetched into the data directory when they live in PostgreSQL). */
  readonly files?: FileStore;
}

/** What a new process of process `id` again is made of; throws when it cannot be (secrets, no `--resume`). */
export async function againRequest(deps: Deps, id: number, options: AgainOptions): Promise<AgainRequest> {
  const row = await getProcess(deps.store.db, id);
  if (!row) throw new ProcessNotFoundError(id);
  const script = deps.scripts.require(row.script);
  if (row.secret_keys) throw new SecretRerunError(id, JSON.parse(row.secret_keys));
  const resumeParam = script.parameters.find((p) => p.nameLong === "--resume");
  const hasConcurrency = script.parameters.some((p) => p.nameLong === "--concurrency");
  if (options.concurrency !== undefined && !hasConcurrency) {
    throw new ParameterError(script.name, [
      { parameter: "--concurrency", message: `${script.name} has no --concurrency to change` },
    ]);
  }
  const drop = new Set<string>();
  if (options.resume) drop.add("--resume");
  if (options.concurrency !== undefined) drop.add("--concurrency");
  // As sent (`-r 5`, `--concurrency=2`), so the new process echoes them as the first one does.
  const longName = (name: string) =>
    script.parameters.find((d) => d.name === name || d.nameLong === name || d.aliases?.includes(name))
      ?.nameLong ?? name;
  const properties = (
    JSON.parse(row.parameters_as_sent ?? row.parameters) as { name: string; value: unknown }[]
  ).filter((p) => !drop.has(longName(p.name)));
  if (options.resume && resumeParam) properties.push({ name: "--resume", value: String(id) });
  if (options.concurrency !== undefined)
    properties.push({ name: "--concurrency", value: String(options.concurrency) });
  const inputs = await listProcessFiles(deps.store.db, id, "inputfile");
  return {
    script,
    parameters: parseProperties(script, properties),
    uploads: await Promise.all(
      inputs.map(async (f) => ({
        name: f.name,
        path: deps.files ? await deps.files.fetch(f.path) : join(deps.dataDir, f.path),
      })),
    ),
    priority: row.priority,
    account: row.account ?? undefined,
    resumedFrom: options.resume ? id : undefined,
  };
}
