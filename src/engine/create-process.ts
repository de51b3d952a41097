import { hostname } from "node:os";
import { join } from "node:path";
import { insertProcess } from "../store/queries/insert-process.js";
import { insertProcessFile } from "../store/queries/process-files.js";
import { upsertWorker } from "../store/queries/workers.js";
import type { ProcessRow, ProcessSource } from "../store/schema.js";
import { type Db, isoTime, type Store } from "../store/store.js";
import type { Clock } from "./clock.js";
import type { DiskGuard } from "./disk.js";
import { MissingUploadError } from "./errors.js";
import type { EngineEmitter } from "./events.js";
import type { FileStore } from "./file-store.js";
import { moveStaged, removeStaged, stageUploads, type Upload } from "./files.js";
import { ParameterError, type ParsedParameters, paramKey, SECRET_MASK } from "./parameters.js";
import { filesDirRel } from "./paths.js";
import { type ProcessRecord, toProcessRecord } from "./process-record.js";
import type { ScriptRegistry } from "./registry.js";
import { resumeProblem } from "./resume-check.js";
import type { ScriptServices } from "./script.js";
import type { SecretVault } from "./vault.js";

export interface CreateProcessDeps {
  readonly store: Store;
  readonly events: EngineEmitter;
  readonly scripts: ScriptRegistry;
  readonly vault: SecretVault;
  readonly dataDir: string;
  /** Where the uploads go once the process exists (the data directory or PostgreSQL). */
  readonly files: FileStore;
  readonly workerId: string;
  readonly clock: Clock;
  /** The account a script is bound to (`scripts.<name>.account`): its processes' default. */
  readonly boundAccount?: (script: string) => string | undefined;
  /** The service accounts a process may name (`--account`); undefined: not checked here. */
  readonly accounts?: () => readonly string[];
  /** The disk reserve: below it nothing new is created but what frees space. */
  readonly disk?: DiskGuard;
  /** The services a script's preflight may use, for the account the process would run under. */
  readonly preflightServices?: (account: string | undefined) => Partial<ScriptServices>;
}

export interface StartedBy {
  readonly source: ProcessSource;
  readonly userId?: string;
  /** The schedule that started it (source `schedule`). */
  readonly schedule?: string;
  /** The slot it fired for (ISO time); absent for "run now". */
  readonly scheduledFor?: string;
  /** The trigger that started it (source `trigger`). */
  readonly trigger?: string;
}

export interface CreateProcessRequest {
  readonly script: string;
  /** From parseArgv / parseProperties: validated before anything is created. */
  readonly parameters: ParsedParameters;
  readonly startedBy: StartedBy;
  /** Not before this time (default now). */
  readonly runAt?: Date;
  /** Files for the `file` parameters, by the name the parameter's value gives. */
  readonly uploads?: readonly Upload[];
  /** Lower runs first (default 0). */
  readonly priority?: number;
  readonly account?: string;
  /** A process whose checkpoint this one resumes from. */
  readonly resumedFrom?: number;
  /**
   * Name the valid choices when a value names none of them: `--account`, and what a script's preflight checks
   * (`--holding-code`); to admins and the CLI only (issue 15).
   */
  readonly listAccounts?: boolean;
  /** Only this OS process's worker may run it (a foreground `nightshift run`). */
  readonly reserve?: boolean;
  /**
   * Runs inside the transaction that inserts the process, before it commits: the firing ledger and the
   * trigger events record the process here, so both exist or neither. Throwing rolls everything back.
   */
  readonly inTransaction?: (db: Db, process: ProcessRow) => Promise<void>;
}

/**
 * Records a new SCHEDULED process with its uploads. Uploads are copied and hashed first, then the row, the
 * files' rows and their move into place happen in one transaction, so no worker sees the process without
 * its files. Secret values are stored masked and kept in memory; such a process is reserved for this worker.
 */
export async function createProcess(
  deps: CreateProcessDeps,
  req: CreateProcessRequest,
): Promise<ProcessRecord> {
  const script = deps.scripts.require(req.script);
  const uploads = req.uploads ?? [];
  if (!script.freesDiskSpace)
    deps.disk?.require(
      uploads.length ? `the upload for a new ${script.name} process` : `a new ${script.name} process`,
    );
  for (const name of req.parameters.files) {
    if (!uploads.some((u) => u.name === name)) throw new MissingUploadError(name);
  }
  const values: Record<string, unknown> = { ...req.parameters.values };
  const secrets: Record<string, string | number | boolean> = {};
  for (const p of script.parameters.filter((d) => d.secret)) {
    const key = paramKey(p);
    const value = values[key];
    if (value === undefined) continue;
    secrets[key] = value as string | number | boolean;
    values[key] = SECRET_MASK;
  }
  const secretKeys = Object.keys(secrets);
  const reserve = req.reserve || secretKeys.length > 0;
  refuseUnknownAccount(deps, script.name, req);
  // a script run under a service account (its --account parameter) records it on the process
  const account =
    req.account ??
    givenAccount(req.parameters) ??
    deps.boundAccount?.(script.name) ??
    accountParameter(req.parameters.values);
  const now = deps.clock.now();
  const staged = await stageUploads(deps.dataDir, uploads);
  try {
    // `--resume <id>`, or a re-run that continues process `resumedFrom`: checked alike.
    const given = req.parameters.values.resume;
    const resume = typeof given === "number" ? given : req.resumedFrom;
    if (resume !== undefined) {
      const fileKeys = script.parameters.filter((d) => d.type === "file").map(paramKey);
      const problem = await resumeProblem(
        deps.store,
        script.name,
        resume,
        req.parameters.values,
        staged,
        fileKeys,
      );
      if (problem) throw new ParameterError(script.name, [{ parameter: "--resume", message: problem }]);
    }
    await script.preflight?.({
      params: req.parameters.values,
      file: (name) => {
        const file = staged.find((f) => f.name === name);
        if (!file) throw new MissingUploadError(name);
        return file.staged;
      },
      refuse(parameter, message) {
        throw new ParameterError(script.name, [{ parameter, message }]);
      },
      services: deps.preflightServices?.(account) ?? {},
      listChoices: req.listAccounts === true,
    });
    const row = await deps.store.write(async (db) => {
      if (reserve)
        await upsertWorker(db, {
          id: deps.workerId,
          host: hostname(),
          pid: process.pid,
          started_at: isoTime(now),
          heartbeat_at: isoTime(now),
        });
      const inserted = await insertProcess(db, {
        script: script.name,
        parameters: JSON.stringify(req.parameters.recorded),
        parametersAsSent: JSON.stringify(req.parameters.sent),
        paramValues: JSON.stringify(values),
        secretKeys: secretKeys.length ? JSON.stringify(secretKeys) : null,
        startedBy: req.startedBy.source,
        userId: req.startedBy.userId ?? null,
        account: account ?? null,
        status: "SCHEDULED",
        priority: req.priority ?? 0,
        runAt: isoTime(req.runAt?.getTime() ?? now),
        createdAt: isoTime(now),
        workerId: reserve ? deps.workerId : null,
        resumedFrom: req.resumedFrom ?? null,
        scheduleName: req.startedBy.schedule ?? null,
        scheduledFor: req.startedBy.scheduledFor ?? null,
        triggerName: req.startedBy.trigger ?? null,
      });
      await req.inTransaction?.(db, inserted);
      const dir = filesDirRel(inserted.id);
      for (const f of staged) {
        await insertProcessFile(db, {
          processId: inserted.id,
          type: "inputfile",
          name: f.name,
          path: join(dir, f.fileName),
          size: f.size,
          sha256: f.sha256,
          createdAt: isoTime(now),
        });
      }
      // PostgreSQL: the chunks are written in this transaction, so the process and its files commit together.
      if (deps.files.kind === "directory") await moveStaged(staged, join(deps.dataDir, dir));
      else for (const f of staged) await deps.files.put(db, inserted.id, join(dir, f.fileName), f.staged);
      return inserted;
    });
    if (secretKeys.length) deps.vault.put(row.id, secrets);
    const record = toProcessRecord(row);
    deps.events.emit("process:created", { process: record });
    return record;
  } finally {
    await removeStaged(staged);
  }
}

/**
 * `--account` when it was given (recorded holds only given parameters): it wins over the script's bound
 * account, which wins over the parameter's default (`sandbox` for the WorldCat scripts).
 */
export function givenAccount(parameters: Pick<ParsedParameters, "recorded">): string | undefined {
  const given = parameters.recorded.find((p) => p.name === "--account")?.value;
  return given !== undefined && given !== "" ? given : undefined;
}

/** `--account` with its default applied. */
function accountParameter(values: ParsedParameters["values"]): string | undefined {
  return typeof values.account === "string" && values.account !== "" ? values.account : undefined;
}

/**
 * `--account NAME` of an account that does not exist is refused before a process exists (issue 17 item 6),
 * the valid names listed only to those allowed to see them (an admin, the command line).
 */
function refuseUnknownAccount(deps: CreateProcessDeps, script: string, req: CreateProcessRequest): void {
  const asked = req.parameters.values.account;
  const known = deps.accounts?.();
  if (typeof asked !== "string" || !known || known.includes(asked)) return;
  if (deps.boundAccount?.(script) === asked) return; // bound by the config (the doctor checks it exists)
  const list = req.listAccounts ? ` (accounts: ${[...known].sort().join(", ")})` : "";
  throw new ParameterError(script, [
    { parameter: "--account", message: `--account: no service account named '${asked}'${list}` },
  ]);
}
