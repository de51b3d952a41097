import { estimateRemainingMs, formatCount, formatDuration } from "../lib/format.ts";
import type { Process } from "../lib/types.ts";

/** done / total as a bar, with the ETA while it runs. */
export function ProgressBar({ process, now, compact }: { process: Process; now: number; compact?: boolean }) {
  const p = process.progress;
  if (!p)
    return compact ? <span className="muted">–</span> : <p className="muted">No progress reported yet.</p>;
  const pct = p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : undefined;
  const eta =
    process.processStatus === "RUNNING" ? estimateRemainingMs(process.startTime, p, now) : undefined;
  const label = p.total ? `${formatCount(p.done)} of ${formatCount(p.total)}` : `${formatCount(p.done)} done`;
  return (
    <div className={compact ? "progress compact" : "progress"}>
      <progress
        value={p.total ? p.done : undefined}
        max={p.total ?? undefined}
        aria-label={`Progress: ${label}`}
      />
      <span className="progress-text">
        {label}
        {pct !== undefined ? ` (${pct}%)` : ""}
        {eta !== undefined ? ` · about ${formatDuration(eta)} left` : ""}
      </span>
    </div>
  );
}
