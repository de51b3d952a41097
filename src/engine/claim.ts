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

/**
 * Claims up to `max` due processes for this worker under a fresh lease, in one write transaction; with `only`,
 * processes of those scripts alone.
 */
export function claimDue(
  deps: ClaimDeps,
  max: number,
  leaseMs: number,
  onlyIds?: readonly number[],
  only?: readonly string[],
): Promise<ProcessRow[]> {
  const now = deps.clock.now();
  const limits = deps.scripts.limits();
  // A dedicated worker (`--scripts`) offers only its scripts; their limits still count every worker's runs.
  const scripts = only ? new Map([...limits].filter(([name]) => only.includes(name))) : limits;
  return deps.store.write((db) =>
    claimProcesses(db, {
      workerId: deps.workerId,
      now: isoTime(now),
      leaseExpiresAt: isoTime(now + leaseMs),
      max,
      scripts,
      onlyIds,
    }),
  );
}
