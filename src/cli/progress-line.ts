/** A one-line progress bar redrawn in place on a terminal (stderr), cleared before other output. */
export interface ProgressLine {
  update(done: number, total: number | null): void;
  clear(): void;
  redraw(): void;
}

export interface ProgressLineOptions {
  readonly width?: number;
  /** Milliseconds clock (injectable for tests). */
  readonly now?: () => number;
}

/** `1:05`, `2:03:09`: a remaining time for people. */
export function formatEta(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

/**
 * ```text
 * [###########-------------------] 3712/10000 37% ETA 1:05
 * ```
 * The ETA comes from the rate since the first update that had work done.
 */
export function createProgressLine(
  stream: NodeJS.WritableStream,
  options: ProgressLineOptions = {},
): ProgressLine {
  const width = options.width ?? 30;
  const now = options.now ?? Date.now;
  let text = "";
  let first: { at: number; done: number } | undefined;
  const draw = () => {
    if (text) stream.write(`\r${text}\x1b[K`);
  };
  const eta = (done: number, total: number): string => {
    if (!first || done <= first.done || done >= total) return "";
    const rate = (done - first.done) / Math.max(1, now() - first.at);
    return ` ETA ${formatEta((total - done) / rate)}`;
  };
  return {
    update(done, total) {
      first ??= { at: now(), done };
      if (total && total > 0) {
        const ratio = Math.min(1, done / total);
        const filled = Math.round(ratio * width);
        const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
        text = `${bar} ${done}/${total} ${Math.floor(ratio * 100)}%${eta(done, total)}`;
      } else {
        text = `${done} done`;
      }
      draw();
    },
    clear() {
      if (text) stream.write("\r\x1b[K");
    },
    redraw: draw,
  };
}
