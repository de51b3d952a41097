/** Listing processes: every process for an admin, one's own for everyone else (as the API allows). */
import { getJson } from "./api.ts";
import type { Me, Page, Process, ProcessStatus } from "./types.ts";

export type ProcessOutcome = "ok" | "warnings" | "errors";

export interface ProcessFilter {
  readonly status?: readonly ProcessStatus[];
  /** How a COMPLETED process's items went. */
  readonly outcome?: readonly ProcessOutcome[];
  readonly script?: string;
  readonly userId?: string;
  /** ISO date-times. */
  readonly createdAfter?: string;
  readonly createdBefore?: string;
  readonly page?: number;
  readonly size?: number;
  readonly sort?: string;
}

export type ProcessPage = Page<"processes", Process>;

export function processListUrl(me: Me, f: ProcessFilter): string {
  const q = new URLSearchParams();
  if (f.status?.length) q.set("processStatus", f.status.join(","));
  if (f.outcome?.length) q.set("outcome", f.outcome.join(","));
  if (f.script) q.set("scriptName", f.script);
  if (f.userId && me.role === "admin") q.set("userId", f.userId);
  if (f.createdAfter) q.set("createdAfter", f.createdAfter);
  if (f.createdBefore) q.set("createdBefore", f.createdBefore);
  q.set("page", String(f.page ?? 0));
  q.set("size", String(f.size ?? 20));
  if (f.sort) q.set("sort", f.sort);
  const base = me.role === "admin" ? "/api/system/processes" : "/api/system/processes/search/own";
  return `${base}?${q}`;
}

export async function listProcesses(me: Me, f: ProcessFilter, signal?: AbortSignal) {
  const body = await getJson<ProcessPage>(processListUrl(me, f), signal);
  return { items: body._embedded.processes ?? [], total: body.page.totalElements };
}

/**
 * How many processes match the filters (all but status), by status: one request to search/counts, which
 * answers an admin's across users (or the chosen user's) and everyone else's own.
 */
export async function countByStatus(
  me: Me,
  f: ProcessFilter,
  statuses: readonly ProcessStatus[],
  signal?: AbortSignal,
): Promise<Record<ProcessStatus, number>> {
  const q = new URLSearchParams();
  if (f.script) q.set("scriptName", f.script);
  if (f.userId && me.role === "admin") q.set("userId", f.userId);
  if (f.createdAfter) q.set("createdAfter", f.createdAfter);
  if (f.createdBefore) q.set("createdBefore", f.createdBefore);
  const body = await getJson<{ counts: Record<ProcessStatus, number> }>(
    `/api/system/processes/search/counts?${q}`,
    signal,
  );
  return Object.fromEntries(statuses.map((s) => [s, body.counts[s] ?? 0])) as Record<ProcessStatus, number>;
}
