import { hostname } from "node:os";
import { renewLeases } from "../store/queries/renew-leases.js";
import { removeWorker, upsertWorker } from "../store/queries/workers.js";
import { isoTime, type Store } from "../store/store.js";
import type { Clock } from "./clock.js";

export interface LeaseDeps {
  readonly store: Store;
  readonly workerId: string;
  readonly clock: Clock;
}

/**
 * One heartbeat: the worker row and the leases of all its RUNNING processes move forward together.
 * Returns the ids renewed; a process this worker thinks it runs but is missing here was taken from it.
 */
export function heartbeat(deps: LeaseDeps, leaseMs: number, startedAt: string): Promise<number[]> {
  const now = deps.clock.now();
  return deps.store.write(async (db) => {
    await upsertWorker(db, workerRow(deps, startedAt, isoTime(now)));
    return renewLeases(db, deps.workerId, isoTime(now), isoTime(now + leaseMs));
  });
}

export function registerWorker(deps: LeaseDeps, startedAt: string): Promise<void> {
  return deps.store.write((db) => upsertWorker(db, workerRow(deps, startedAt, startedAt)));
}

export function unregisterWorker(deps: LeaseDeps): Promise<void> {
  return deps.store.write((db) => removeWorker(db, deps.workerId));
}

function workerRow(deps: LeaseDeps, startedAt: string, now: string) {
  return { id: deps.workerId, host: hostname(), pid: process.pid, started_at: startedAt, heartbeat_at: now };
}
