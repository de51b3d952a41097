import type { ProcessStatus } from "../lib/types.ts";

export function StatusBadge({ status, outcome }: { status: ProcessStatus; outcome?: string | null }) {
  const extra = status === "COMPLETED" && outcome && outcome !== "ok" ? ` (${outcome})` : "";
  return <span className={`badge badge-${status.toLowerCase()}`}>{status + extra}</span>;
}
