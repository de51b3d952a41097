/**
 * Whether a worker's OS process is still there, when it ran on this machine: its row records the host name
 * and pid. `process.kill(pid, 0)` sends nothing; it fails with ESRCH when no such process exists (EPERM means
 * it exists under another user). Only "gone on this host" is certain: on another host, or when the pid may
 * have been reused, the lease decides as before.
 */
import { hostname } from "node:os";

export function isGoneHere(worker: { readonly host: string; readonly pid: number }): boolean {
  if (worker.host !== hostname() || !Number.isInteger(worker.pid) || worker.pid <= 0) return false;
  if (worker.pid === process.pid) return false;
  try {
    process.kill(worker.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}
