/**
 * The batch's checkpoint: small, durable, enough to resume exactly. Rows 1..nextPosition-1 are in the
 * report file named here; results completed out of order wait in `done`; `suspects` are positions that may
 * have been attempted without a result being kept.
 */
import type { Checkpoint } from "../engine/script.js";
import { BatchResumeError } from "./errors.js";
import type { ItemResult } from "./item.js";

export interface BatchCheckpoint {
  readonly kind: "nightshift.batch";
  readonly version: 1;
  /** The report holding rows 1..nextPosition-1 (a resumed run reads them from there). */
  readonly reportPath: string;
  /** The first position not yet reported in order. */
  readonly nextPosition: number;
  /** The reorder window: no position at or past nextPosition + window was ever started. */
  readonly window: number;
  /** Results completed past nextPosition, not yet reported. */
  readonly done: readonly (readonly [number, ItemResult])[];
  /** Positions past nextPosition that were attempted and have no result (interrupted, or inherited). */
  readonly suspects: readonly number[];
  /**
   * True when saved after all work stopped (finish, cancel, shutdown): nothing else was attempted. False for
   * the periodic saves of a running batch: if the process dies, everything in the window is suspect.
   */
  readonly clean: boolean;
  /** The whole input was reported. */
  readonly finished: boolean;
}

/** What a resumed run starts from. */
export interface ResumePlan {
  readonly fromProcess: number;
  readonly checkpoint: BatchCheckpoint;
  readonly done: ReadonlyMap<number, ItemResult>;
}

/** Reads the checkpoint of the process to resume; undefined when it never saved one (it started no item). */
export async function loadResumePlan(
  checkpoint: Checkpoint,
  processId: number,
): Promise<ResumePlan | undefined> {
  const state = await checkpoint.of<BatchCheckpoint>(processId);
  if (state === undefined || state === null) return undefined;
  if (state.kind !== "nightshift.batch" || state.version !== 1) {
    throw new BatchResumeError(processId, "its checkpoint is not a batch checkpoint of a known version");
  }
  return { fromProcess: processId, checkpoint: state, done: new Map(state.done.map(([p, r]) => [p, r])) };
}

/**
 * Positions past the `reported` rows that may have been attempted by the run that saved `cp`: its suspects,
 * and (when it did not stop cleanly) every position of its window, none of which has a kept result.
 */
export function suspectsAfter(cp: BatchCheckpoint, reported: number): number[] {
  const out = new Set(cp.suspects.filter((p) => p > reported));
  if (!cp.clean) for (let p = reported + 1; p <= reported + cp.window; p++) out.add(p);
  for (const [p] of cp.done) out.delete(p);
  return [...out].sort((a, b) => a - b);
}
