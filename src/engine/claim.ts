import {
  type ClaimedRow,
  type ClaimRequest,
  claimProcesses,
  claimUnlimited,
} from "../store/queries/claim-processes.js";
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
 * Claims up to `max` due processes for this worker under a fresh lease; with `only`, processes of those scripts
 * alone. SQLite: one write transaction. PostgreSQL: first one statement outside any transaction for scripts
 * without a limit (the round trips of BEGIN, the advisory locks, the count and COMMIT are most of a claim's
 * cost when processes are short); a transaction only when a limited script's process is next in the queue.
 */
export async function claimDue(
  deps: ClaimDeps,
  max: number,
  leaseMs: number,
  onlyIds?: readonly number[],
  only?: readonly string[],
): Promise<ClaimedRow[]> {
  const now = deps.clock.now();
  const limits = deps.scripts.limits();
  // A dedicated worker (`--scripts`) offers only its scripts; their limits still count every worker's runs.
  const scripts = only ? new Map([...limits].filter(([name]) => only.includes(name))) : limits;
  const req: ClaimRequest = {
    workerId: deps.workerId,
    now: isoTime(now),
    leaseExpiresAt: isoTime(now + leaseMs),
    max,
    scripts,
    onlyIds,
  };
  if (deps.store.dialect !== "postgres") return deps.store.write((db) => claimProcesses(db, req));
  const claimed = await claimUnlimited(deps.store.db, req);
  const limited = [...scripts.values()].some((limit) => limit !== undefined);
  if (claimed.length >= max || !limited) return claimed;
  const rest = await deps.store.write((db) => claimProcesses(db, { ...req, max: max - claimed.length }));
  return [...claimed, ...rest];
}
