/**
 * The command that continues a stopped batch, printed wherever a stop is seen (issue 17 item 3): after Ctrl-C
 * in `run`, when a crash is found (serve's and worker's recovery lines), and in `process <id>`.
 */
import type { ProcessRecord } from "../engine/process-record.js";
import type { ScriptRegistry } from "../engine/registry.js";

/** `nightshift resume 7`, exactly. */
export function resumeCommand(id: number): string {
  return `nightshift resume ${id}`;
}

/** Whether a script continues where an earlier process stopped (it takes `--resume`). */
export function resumable(scripts: ScriptRegistry, script: string): boolean {
  return scripts.get(script)?.parameters.some((p) => p.nameLong === "--resume") ?? false;
}

/** A RUNNING process whose worker stopped renewing its lease: a crash, found before recovery ends it. */
export function workerGone(p: ProcessRecord, now = Date.now()): boolean {
  return p.status === "RUNNING" && p.leaseExpiresAt !== null && Date.parse(p.leaseExpiresAt) <= now;
}

/** The resume command for a process that stopped before the end of its input, else undefined. */
export function resumeHint(p: ProcessRecord, canResume: boolean, now = Date.now()): string | undefined {
  if (!canResume) return undefined;
  if (p.status === "FAILED" || p.status === "CANCELLED" || workerGone(p, now)) return resumeCommand(p.id);
  return undefined;
}
