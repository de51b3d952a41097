import type { LogLevel } from "./events.js";
import type { HashedLog, LogSink } from "./file-store.js";
import { SECRET_MASK } from "./parameters.js";
import type { ProcessLog } from "./script.js";

export interface LogLine {
  readonly time: string;
  readonly level: LogLevel;
  readonly message: string;
}

/**
 * Appends `ISO-time LEVEL message` lines to a process's log (its sink: a file written synchronously, or
 * PostgreSQL chunks stored a few times a second, see file-store.ts).
 */
export interface ProcessLogWriter {
  readonly log: ProcessLog;
  write(level: LogLevel, message: string): void;
  /** The text with this log's secret values masked (for what is shown beside the log: the exit message). */
  mask(text: string): string;
  close(): void;
  /** Resolves when every line written is stored (and readable by any node). */
  settled(): Promise<void>;
  /** After settled(): the log's size and SHA-256 if its sink knows them without reading it back. */
  hashed(): HashedLog | undefined;
}

export interface LogWriterOptions {
  /** Values that must never reach the file (secret parameters); replaced by the mask. */
  readonly secrets?: readonly string[];
  readonly now?: () => number;
  readonly onLine?: (line: LogLine) => void;
}

/**
 * ```ts
 * const w = openProcessLog(files.logs.open(7, onError), { secrets: ["hunter2"] });
 * w.log.info("password is hunter2"); // 2024-05-01T12:00:00.000Z INFO password is ********
 * ```
 */
export function openProcessLog(sink: LogSink, options: LogWriterOptions = {}): ProcessLogWriter {
  let open = true;
  const now = options.now ?? Date.now;
  const mask = createMasker(options.secrets ?? []);
  const write = (level: LogLevel, message: string) => {
    // Closed: the process has ended; a script that ignored its abort and goes on logging is not heard.
    if (!open) return;
    const time = new Date(now()).toISOString();
    // Masked before it is cut, so a secret across the cut is not left half shown.
    const parts = mask(String(message))
      .split(/\r\n|\r|\n/)
      .map(clip);
    sink.append(parts.map((part) => `${time} ${level} ${part}\n`).join(""));
    options.onLine?.({ time, level, message: parts.join("\n") });
  };
  return {
    write,
    mask,
    log: {
      debug: (m) => write("DEBUG", m),
      info: (m) => write("INFO", m),
      warn: (m) => write("WARN", m),
      error: (m) => write("ERROR", m),
    },
    close() {
      if (open) sink.close();
      open = false;
    },
    settled: () => sink.settled(),
    hashed: () => sink.hashed?.(),
  };
}

/** Longest line a log keeps (characters); the rest is dropped with a note saying how much. */
export const MAX_LOG_LINE = 64 * 1024;

/** A line cut to MAX_LOG_LINE: readers (follow, the UI, a spreadsheet) take logs line by line. */
function clip(line: string): string {
  if (line.length <= MAX_LOG_LINE) return line;
  // Not between the two halves of a surrogate pair.
  const cut = /[\uD800-\uDBFF]/.test(line[MAX_LOG_LINE - 1]) ? MAX_LOG_LINE - 1 : MAX_LOG_LINE;
  return `${line.slice(0, cut)} [... ${line.length - cut} more characters not logged]`;
}

/**
 * Replaces every secret value in a text with the mask. Even a very short secret is masked: masking a few
 * harmless characters too is the safe way to be wrong.
 */
export function createMasker(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a secret containing another is masked whole.
  const values = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => values.reduce((acc, secret) => acc.split(secret).join(SECRET_MASK), text);
}
