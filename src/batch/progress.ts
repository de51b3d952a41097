/**
 * Progress of a batch: `ctx.progress(done, total)` at most every `intervalMs`, and a log line with the rate
 * and ETA every `logIntervalMs`. Driven by the runner's reporting; an update held back by the interval is
 * sent when the interval ends (one timer), so the process never shows a stale count while a slow item holds
 * the next report back.
 */
import type { ProcessLog } from "../engine/script.js";

export interface ProgressOptions {
  readonly report: (done: number, total?: number) => void;
  readonly log: ProcessLog;
  readonly now: () => number;
  readonly intervalMs: number;
  readonly logIntervalMs: number;
}

export interface ProgressMeter {
  total: number | undefined;
  /** `done` items reported, `fresh` of them handled by this run (the rate counts only those). */
  update(done: number, fresh: number, force?: boolean): void;
}

export function createProgressMeter(options: ProgressOptions): ProgressMeter {
  const started = options.now();
  let lastReport = Number.NEGATIVE_INFINITY;
  let lastLog = started;
  let held: { done: number; timer: NodeJS.Timeout } | undefined;
  const meter: ProgressMeter = {
    total: undefined,
    update(done, fresh, force = false) {
      const now = options.now();
      const wait = options.intervalMs - (now - lastReport);
      if (force || wait <= 0) {
        if (held) clearTimeout(held.timer);
        held = undefined;
        lastReport = now;
        options.report(done, meter.total);
      } else if (held) {
        held.done = done;
      } else {
        const timer = setTimeout(() => {
          const last = held;
          held = undefined;
          if (!last) return;
          lastReport = options.now();
          options.report(last.done, meter.total);
        }, wait);
        timer.unref?.();
        held = { done, timer };
      }
      if (!force && now - lastLog >= options.logIntervalMs) {
        lastLog = now;
        options.log.info(progressLine(done, meter.total, fresh, now - started));
      }
    },
  };
  return meter;
}

/** `1200/10000 items (12.0%), 80.1 items/s, ETA 1m 50s` */
export function progressLine(
  done: number,
  total: number | undefined,
  fresh: number,
  elapsedMs: number,
): string {
  const rate = elapsedMs > 0 ? (fresh * 1000) / elapsedMs : 0;
  const head =
    total === undefined
      ? `${done} items`
      : `${done}/${total} items (${((done / Math.max(total, 1)) * 100).toFixed(1)}%)`;
  const eta = total !== undefined && rate > 0 ? `, ETA ${duration(((total - done) / rate) * 1000)}` : "";
  return `${head}, ${rate.toFixed(1)} items/s${eta}`;
}

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${sec}s`;
  return `${sec}s`;
}
