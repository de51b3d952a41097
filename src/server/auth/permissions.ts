/**
 * Who may do what.
 * - admin: everything.
 * - operator: run the scripts whose config lists `operator` in `scripts.<name>.roles`; see and manage
 *   (cancel, delete, re-run) the processes they started.
 * - viewer: read the processes they started; never writes.
 * Others' processes answer 403 (issue 5: every refusal is 401 or 403, as in the reference design); only a
 * process that does not exist answers 404.
 */
import type { NightshiftConfig } from "../../config/config.js";
import type { ProcessRecord } from "../../engine/process-record.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import type { Principal } from "./principal.js";

export function isAdmin(p: Principal): boolean {
  return p.user.role === "admin";
}

/** True when the caller may start processes of the script. */
export function mayRun(p: Principal, script: string, scripts: NightshiftConfig["scripts"]): boolean {
  if (isAdmin(p)) return true;
  if (p.user.role === "viewer") return false;
  return scripts[script]?.roles?.includes(p.user.role) ?? false;
}

export function requireRun(p: Principal, script: string, scripts: NightshiftConfig["scripts"]): void {
  if (!mayRun(p, script, scripts))
    throw new ForbiddenError(`role '${p.user.role}' may not run script '${script}'`);
}

export function requireAdmin(p: Principal, what: string): void {
  if (!isAdmin(p)) throw new ForbiddenError(`only admins may ${what}`);
}

/** The process if the caller may see it (starter or admin); 404 when there is none, 403 when it is another's. */
export function requireVisible(p: Principal, process: ProcessRecord | undefined, id: number): ProcessRecord {
  if (!process) throw new NotFoundError(`no process ${id}`);
  if (!isAdmin(p) && process.userId !== p.user.id) throw new ForbiddenError(forbiddenDetail(id));
  return process;
}

/** Why another user's process is refused. */
export function forbiddenDetail(id: number): string {
  return `process ${id} was started by another user; only they and admins may see it`;
}

/** Changing a visible process (cancel, delete, re-run): viewers may only read. */
export function requireManage(p: Principal, action: string): void {
  if (p.user.role === "viewer") throw new ForbiddenError(`role 'viewer' may not ${action} processes`);
}
