/**
 * `--resume <id>` is checked before the new process exists (issue 17 item 3, issue 15 security item 1): the
 * process resumed must exist, be of the same script, not be COMPLETED, and have been given the same
 * parameters (all but `--resume` and `--concurrency`; a `--dry-run` may preview the resume of a real run) and the same input files (by SHA-256). Anything else
 * would carry another run's report rows into this one, or act on another file with the first one's
 * checkpoint. Who may resume whose process is the caller's business (REST answers 403 for another user's).
 */
import { getProcess } from "../store/queries/get-process.js";
import { listProcessFiles } from "../store/queries/process-files.js";
import type { Store } from "../store/store.js";
import type { StagedFile } from "./files.js";
import type { ParamValues } from "./script.js";

/** Parameters a resume may change. */
const FREE = new Set(["resume", "concurrency"]);

/** The problem with resuming process `from`, or undefined when it may be resumed. */
export async function resumeProblem(
  store: Store,
  script: string,
  from: number,
  values: ParamValues,
  staged: readonly StagedFile[],
  /** Keys of file parameters: their names may differ (a path), their contents are compared instead. */
  fileKeys: readonly string[] = [],
): Promise<string | undefined> {
  const row = await getProcess(store.db, from);
  if (!row) return `--resume ${from}: there is no process ${from}`;
  if (row.script !== script)
    return `--resume ${from}: process ${from} is a run of ${row.script}, not of ${script}`;
  if (row.status === "COMPLETED")
    return `--resume ${from}: process ${from} is COMPLETED: it went through its whole input, nothing is left to resume (run it again without --resume)`;
  const theirs = JSON.parse(row.param_values) as Record<string, unknown>;
  // A dry run may preview the resume of a real run; never the reverse: a dry run's checkpoint counts items
  // as done that were never written.
  const previewing = (k: string) => k === "dryRun" && values.dryRun === true;
  const differ = [...new Set([...Object.keys(theirs), ...Object.keys(values)])]
    .filter(
      (k) => !FREE.has(k) && !previewing(k) && !fileKeys.includes(k) && !sameValue(theirs[k], values[k]),
    )
    .sort();
  if (differ.length)
    return `--resume ${from}: process ${from} was given other parameters (${differ.map(flag).join(", ")}); a resume takes the same ones (only --concurrency may change, and --dry-run may be added)`;
  const inputs = await listProcessFiles(store.db, from, "inputfile");
  const mine = staged.map((f) => f.sha256).sort();
  const older = inputs.map((f) => f.sha256 ?? "").sort();
  if (mine.length !== older.length || mine.some((h, i) => h !== older[i]))
    return `--resume ${from}: the input file differs from process ${from}'s; a resume reads the same file`;
  return undefined;
}

function sameValue(a: unknown, b: unknown): boolean {
  return (a ?? null) === (b ?? null);
}

/** `holdingCode` -> `--holding-code`. */
function flag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
