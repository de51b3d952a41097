import { resolve } from "node:path";
import { type ProcessFile, type ProcessRecord, statusText } from "../engine/process-record.js";
import { workerGone } from "./resume-hint.js";
import { table } from "./table.js";

/** Human-readable tables and lines for the process commands. */
export function progressText(p: ProcessRecord): string {
  if (!p.progress) return "";
  return p.progress.total === null ? String(p.progress.done) : `${p.progress.done}/${p.progress.total}`;
}

export function processTable(items: readonly ProcessRecord[]): string {
  const head = ["ID", "STATUS", "SCRIPT", "CREATED", "BY", "PROGRESS", "MESSAGE"];
  return table([
    head,
    ...items.map((p) => [
      String(p.id),
      (p.outcome && p.outcome !== "ok" ? `${p.status} (${p.outcome})` : p.status) +
        (p.cancelRequested && p.status === "RUNNING" ? "*" : ""),
      p.script,
      p.createdAt,
      p.userId ?? p.startedBy,
      progressText(p),
      p.exitMessage ?? "",
    ]),
  ]);
}

/** `resume`: the command that continues it (resume-hint.ts), when it stopped before the end of its input. */
export function processDetails(p: ProcessRecord, resume?: string): string {
  // As the user wrote them (`-d 7 --dry-run`), the way REST and the UI show them.
  const params = p.parametersAsSent
    .map((x) => (x.value === null ? x.name : `${x.name} ${x.value}`))
    .join(" ");
  const gone = workerGone(p) ? ` (its worker is gone: lease expired at ${p.leaseExpiresAt})` : "";
  const rows: [string, string | null | undefined][] = [
    [
      "status",
      statusText(p) + (p.cancelRequested && p.status === "RUNNING" ? " (cancel requested)" : "") + gone,
    ],
    ["parameters", params || "(none)"],
    ["started by", p.userId ? `${p.startedBy} (${p.userId})` : p.startedBy],
    ["schedule", p.schedule],
    ["scheduled for", p.scheduledFor],
    ["trigger", p.trigger],
    ["account", p.account],
    ["priority", String(p.priority)],
    ["run at", p.runAt !== p.createdAt ? p.runAt : null],
    ["created", p.createdAt],
    ["started", p.startedAt],
    ["finished", p.finishedAt],
    ["progress", progressText(p) || null],
    ["heartbeat", p.status === "RUNNING" ? p.heartbeatAt : null],
    ["worker", p.workerId],
    ["resumed from", p.resumedFrom === null ? null : String(p.resumedFrom)],
    ["result", p.result === null ? null : JSON.stringify(p.result)],
    ["message", p.exitMessage],
    ["resume", resume],
  ];
  const shown = rows.filter((r): r is [string, string] => !!r[1]);
  return `process ${p.id} (${p.script})\n${shown.map(([k, v]) => `  ${k.padEnd(12)} ${v}`).join("\n")}\n`;
}

/** The files of a process; PATH is where each is on disk (to open report.csv, re-run failures.*). */
export function fileTable(files: readonly ProcessFile[], dataDir: string): string {
  if (files.length === 0) return "(no files)\n";
  return table([
    ["ID", "TYPE", "NAME", "SIZE", "SHA-256", "PATH"],
    ...files.map((f) => [
      String(f.id),
      f.type,
      f.name,
      String(f.size ?? ""),
      f.sha256 ?? "",
      resolve(dataDir, f.path),
    ]),
  ]);
}

/** `2026-01-02T03:04:05.678Z INFO message` as `{ time, level, message }` (a line not in that form: message only). */
export function logLineJson(line: string): { time: string | null; level: string | null; message: string } {
  const m = /^(\S+Z) ([A-Z]+) (.*)$/s.exec(line);
  return m ? { time: m[1], level: m[2], message: m[3] } : { time: null, level: null, message: line };
}
