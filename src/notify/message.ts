/**
 * The message about a process, in words: the subject (`[Nightshift] [SANDBOX] <script> #<id> <STATUS>`), the
 * plain-text body, and the structured form webhooks carry. Secret values are masked by the caller's mask.
 */
import type { MessageFacts } from "./facts.js";

export interface Message {
  readonly subject: string;
  readonly text: string;
  /** The facts for JSON bodies (masked like the text). */
  readonly facts: MessageFacts | null;
  /** A file to attach (the failures file, when small). */
  readonly attachment?: { readonly filename: string; readonly path: string };
}

/** `[Nightshift] [SANDBOX] worldcat-holdings #12 FAILED` */
export function subjectOf(f: Pick<MessageFacts, "sandbox" | "script" | "processId" | "status">): string {
  return `[Nightshift] ${f.sandbox ? "[SANDBOX] " : ""}${f.script} #${f.processId} ${f.status}`;
}

export function processMessage(f: MessageFacts): Message {
  const lines = [
    `${f.script} #${f.processId} ${f.status}${f.lost ? " (its worker was lost)" : ""}`,
    "",
    `Outcome: ${f.status === "COMPLETED" ? f.outcome : f.status}${f.exitMessage ? ` - ${f.exitMessage}` : ""}`,
    `Started by: ${startedBy(f)}`,
    `Account: ${f.account ? `${f.account} (${f.sandbox ? "SANDBOX" : "PRODUCTION"})` : "none"}`,
    `Started: ${f.startedAt ?? "never"}  Finished: ${f.finishedAt ?? "-"}  Duration: ${duration(f.durationMs)}`,
  ];
  if (f.counts) {
    const parts = Object.entries(f.counts).map(([k, v]) => `${k} ${v}`);
    lines.push(
      `Items: ${f.total ?? Object.values(f.counts).reduce((a, b) => a + b, 0)} (${parts.join(", ")})`,
    );
  }
  if (f.topCodes.length)
    lines.push(`Top error codes: ${f.topCodes.map((c) => `${c.code} (${c.count})`).join(", ")}`);
  if (f.url) lines.push(`Process: ${f.url}`);
  if (f.failures)
    lines.push(
      f.failures.path
        ? `Failures file attached: ${f.failures.name} (${size(f.failures.size)}), ready to run again`
        : `Failures file: ${f.failures.name} (${size(f.failures.size)}, too large to attach)${f.url ? `: ${f.url}/files/failures` : ""}`,
    );
  lines.push("", `Last ${f.logTail.length} log lines:`, ...f.logTail.map((l) => `  ${l}`));
  return {
    subject: subjectOf(f),
    text: `${lines.join("\n")}\n`,
    facts: f,
    ...(f.failures?.path ? { attachment: { filename: f.failures.name, path: f.failures.path } } : {}),
  };
}

/** One message listing every process of a digest. */
export function digestMessage(all: readonly MessageFacts[], now: number): Message {
  const sandbox = all.length > 0 && all.every((f) => f.sandbox);
  const lines = [`${all.length} process${all.length === 1 ? "" : "es"} in the last 24 hours:`, ""];
  for (const f of all) {
    const counts = f.counts
      ? ` [${Object.entries(f.counts)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}]`
      : "";
    lines.push(
      `- ${f.script} #${f.processId} ${f.status}${f.status === "COMPLETED" ? ` (${f.outcome})` : ""}` +
        `${f.account ? `, account ${f.account}${f.sandbox ? " [SANDBOX]" : ""}` : ""}, ${f.finishedAt ?? ""}${counts}` +
        `${f.exitMessage ? ` - ${f.exitMessage}` : ""}${f.url ? ` ${f.url}` : ""}`,
    );
  }
  return {
    subject: `[Nightshift] ${sandbox ? "[SANDBOX] " : ""}digest ${new Date(now).toISOString().slice(0, 10)}: ${all.length} process${all.length === 1 ? "" : "es"}`,
    text: `${lines.join("\n")}\n`,
    facts: null,
  };
}

/** What `nightshift notify test` sends. */
export function testMessage(channel: string, now: number): Message {
  return {
    subject: `[Nightshift] test message for channel ${channel}`,
    text: `This is a test message from Nightshift (channel ${channel}), sent ${new Date(now).toISOString()}.\n`,
    facts: null,
  };
}

function startedBy(f: MessageFacts): string {
  if (f.schedule) return `schedule ${f.schedule}`;
  if (f.trigger) return `trigger ${f.trigger}`;
  const how = f.startedBy === "cli" ? "command line" : f.startedBy === "rest" ? "REST API" : f.startedBy;
  return f.user ? `user ${f.user} (${how})` : how;
}

function duration(ms: number | null): string {
  if (ms === null) return "-";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${Math.round(ms) / 1000} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min ${s % 60} s`;
}

function size(bytes: number): string {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}
