import { randomBytes } from "node:crypto";
import { extname, join } from "node:path";

/**
 * Where a process keeps things under the data directory. Every name on disk is generated here; display
 * names given by users are stored in the database only.
 */
export function processDirRel(processId: number): string {
  return join("processes", String(processId));
}

export function logPathRel(processId: number): string {
  return join(processDirRel(processId), "process.log");
}

export function filesDirRel(processId: number): string {
  return join(processDirRel(processId), "files");
}

/** A fresh random file name keeping a short alphanumeric extension of the display name (`.mrc`, `.csv`). */
export function generatedFileName(displayName: string): string {
  const ext = extname(displayName).toLowerCase();
  return randomBytes(9).toString("hex") + (/^\.[a-z0-9]{1,10}$/.test(ext) ? ext : "");
}

/** The log file's display name, as the reference design names it. */
export function logDisplayName(script: string, processId: number): string {
  return `${script}-${processId}.log`;
}
