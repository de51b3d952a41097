/**
 * The disk reserve: below `diskReserve` free bytes on the data directory's disk (default 1 GB), nothing new
 * starts (new uploads answer 507, the CLI refuses), running processes end FAILED with "disk full" rather than
 * write half a report, and /readyz says why. The process cleaner, which frees space, is exempt.
 */
import { statfsSync } from "node:fs";
import { NightshiftError } from "../errors.js";

export interface DiskState {
  readonly ok: boolean;
  readonly freeBytes: number;
  readonly reserveBytes: number;
}

export interface DiskGuard {
  readonly reserveBytes: number;
  /** Free space now (read at most once per `cacheMs`). */
  check(): DiskState;
  /** Throws DiskFullError naming `what` when below the reserve. */
  require(what: string): void;
}

/** Not enough free disk space for `what` (REST answers 507 Insufficient Storage). */
export class DiskFullError extends NightshiftError {
  constructor(
    readonly what: string,
    readonly state: DiskState,
    readonly dir: string,
  ) {
    super(`disk full: ${describeDisk(state, dir)}; ${what} refused`, "DISK_FULL");
  }
}

export function describeDisk(state: DiskState, dir: string): string {
  return `${formatBytes(state.freeBytes)} free on the disk of ${dir}, below the reserve of ${formatBytes(state.reserveBytes)} (diskReserve)`;
}

/** Free bytes for an unprivileged writer on the file system holding `dir`. */
export function freeBytesOf(dir: string): number {
  const s = statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}

export function diskGuard(
  dir: string,
  reserveBytes: number,
  freeBytes: (dir: string) => number = freeBytesOf,
  cacheMs = 500,
): DiskGuard {
  let last: { at: number; state: DiskState } | undefined;
  const check = (): DiskState => {
    const now = Date.now();
    if (last && now - last.at < cacheMs) return last.state;
    let free: number;
    try {
      free = freeBytes(dir);
    } catch {
      free = Number.POSITIVE_INFINITY; // a file system that cannot tell is not judged full
    }
    const state = { ok: reserveBytes <= 0 || free >= reserveBytes, freeBytes: free, reserveBytes };
    last = { at: now, state };
    return state;
  };
  return {
    reserveBytes,
    check,
    require(what) {
      const state = check();
      if (!state.ok) throw new DiskFullError(what, state, dir);
    },
  };
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return "unknown";
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} bytes` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
