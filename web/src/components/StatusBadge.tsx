import type { ProcessStatus } from "../lib/types.ts";

/**
 * A process's status as people read it: the server's `statusText` (`COMPLETED with errors: 7 of 24 failed`)
 * when it sends one, else the status with the outcome (`COMPLETED (warnings)`).
 */
export function StatusBadge({
  status,
  outcome,
  text,
}: {
  status: ProcessStatus;
  outcome?: string | null;
  text?: string | null;
}) {
  const extra = status === "COMPLETED" && outcome && outcome !== "ok" ? ` (${outcome})` : "";
  const shown = text || status + extra;
  const tone = status === "COMPLETED" && outcome && outcome !== "ok" ? ` outcome-${outcome}` : "";
  return <span className={`badge badge-${status.toLowerCase()}${tone}`}>{shown}</span>;
}
