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
  /** 2: the report is kept with the checkpoint (`report`); 1 (older runs): a local path (`reportPath`). */
  readonly version: 1 | 2;
  /**
   * Version 2: the report holding rows 1..nextPosition-1, kept with the checkpoint: a resumed run on any node
   * reads it through `ctx.checkpoint.read(report)`.
   */
  readonly report?: string;
  /** Version 1: the report's absolute path on the disk of the node that wrote it. */
  readonly reportPath?: string;
  /** The first position not yet reported in order. */
  readonly nextPosition: number;
  /**
   * The reorder window: no position at or past nextPosition + window was ever started, where nextPosition
   * counts the rows in the report when it is read (a live report: rows written after the save count too).
   */
  readonly window: number;
  /**
   * Set when the report is not live (kept in PostgreSQL: a resumed run sees only what the last save stored):
   * no position at or past it was started. The runner starts nothing past the horizon of its last save.
   */
  readonly horizon?: number;
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
  const known =
    state.kind === "nightshift.batch" &&
    ((state.version === 1 && typeof state.reportPath === "string") ||
      (state.version === 2 && typeof state.report === "string"));
  if (!known) {
    throw new BatchResumeError(processId, "its checkpoint is not a batch checkpoint of a known version");
  }
  return { fromProcess: processId, checkpoint: state, done: new Map(state.done.map(([p, r]) => [p, r])) };
}

/**
 * Positions past the `reported` rows that may have been attempted by the run that saved `cp`: its suspects,
 * and (when it did not stop cleanly) every position of its window, or up to its horizon, none of which has
 * a kept result.
 */
export function suspectsAfter(cp: BatchCheckpoint, reported: number): number[] {
  const out = new Set(cp.suspects.filter((p) => p > reported));
  const last = cp.horizon === undefined ? reported + cp.window : cp.horizon - 1;
  if (!cp.clean) for (let p = reported + 1; p <= last; p++) out.add(p);
  for (const [p] of cp.done) out.delete(p);
  return [...out].sort((a, b) => a - b);
}
