import { claimProcesses } from "../store/queries/claim-processes.js";
import type { ProcessRow } from "../store/schema.js";
import { isoTime, type Store } from "../store/store.js";
import type { Clock } from "./clock.js";
import type { ScriptRegistry } from "./registry.js";

export interface ClaimDeps {
  readonly store: Store;
  readonly scripts: ScriptRegistry;
  readonly workerId: string;
  readonly clock: Clock;
}

/** Claims up to `max` due processes for this worker under a fresh lease, in one write transaction. */
export function claimDue(
  deps: ClaimDeps,
  max: number,
  leaseMs: number,
  onlyIds?: readonly number[],
): Promise<ProcessRow[]> {
  const now = deps.clock.now();
  return deps.store.write((db) =>
    claimProcesses(db, {
      workerId: deps.workerId,
      now: isoTime(now),
      leaseExpiresAt: isoTime(now + leaseMs),
      max,
      scripts: deps.scripts.limits(),
      onlyIds,
    }),
  );
}
