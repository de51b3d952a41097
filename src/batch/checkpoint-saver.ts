/**
 * When and how the runner saves its checkpoint: after `every` reported items or `intervalMs`, one save at a
 * time and in order. The state is taken when a save starts (the latest), and a periodic save already
 * waiting makes another one needless. A failed save is logged; the batch goes on.
 */
import type { Checkpoint, ProcessLog } from "../engine/script.js";
import type { BatchCheckpoint } from "./checkpoint.js";

export interface CheckpointSaverOptions {
  readonly checkpoint: Checkpoint;
  readonly snapshot: (clean: boolean) => BatchCheckpoint;
  /** Told of each state saved (after the save went through). */
  readonly saved?: (state: BatchCheckpoint) => void;
  readonly log: ProcessLog;
  readonly now: () => number;
  readonly every: number;
  readonly intervalMs: number;
}

export interface CheckpointSaver {
  /** `reported` more items were reported: saves in the background when one is due. */
  reported(count: number): void;
  /** Saves now (after what is queued) and waits for it. */
  save(clean: boolean): Promise<void>;
}

export function createCheckpointSaver(o: CheckpointSaverOptions): CheckpointSaver {
  let since = 0;
  let last = o.now();
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  const save = (clean: boolean): Promise<void> => {
    since = 0;
    last = o.now();
    if (!clean && queued) return chain;
    queued = true;
    chain = chain.then(async () => {
      queued = false;
      try {
        const state = o.snapshot(clean);
        await o.checkpoint.save(state);
        o.saved?.(state);
      } catch (err) {
        o.log.warn(`checkpoint not saved: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return chain;
  };
  return {
    reported(count) {
      since += count;
      if (since >= o.every || o.now() - last >= o.intervalMs) void save(false);
    },
    save,
  };
}
