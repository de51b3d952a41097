/**
 * Processes: filters (status with counts, script, user, date range) kept in the URL, a page that refreshes
 * itself, selection and bulk delete. Each page is one query with LIMIT/OFFSET on indexed columns, so it stays
 * fast at 100,000 processes.
 */
import { useState } from "react";
import { ProcessTable } from "../components/ProcessTable.tsx";
import { ApiError, getJson, request } from "../lib/api.ts";
import { formatCount } from "../lib/format.ts";
import { usePoll } from "../lib/hooks.ts";
import { countByStatus, listProcesses, type ProcessFilter, type ProcessOutcome } from "../lib/processes.ts";
import { navigate, useLocation, useQuery } from "../lib/router.tsx";
import { listScripts } from "../lib/scripts.ts";
import { isAdmin, mayManage, useMe } from "../lib/session.tsx";
import { type ProcessStatus, STATUSES, type UserSummary } from "../lib/types.ts";

const PAGE_SIZE = 50;

/** The outcome filter: how a COMPLETED process's items went. */
const OUTCOMES: readonly { value: ProcessOutcome; label: string }[] = [
  { value: "ok", label: "Every item ok" },
  { value: "warnings", label: "With warnings" },
  { value: "errors", label: "With failed items" },
];

/** A date field (YYYY-MM-DD, local) as the start of that day, or of the next one for an end bound. */
function dayBound(day: string | null, end: boolean): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (end) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export function Processes() {
  const me = useMe();
  const q = useQuery();
  const { path } = useLocation();
  const status = (q.get("status")?.split(",").filter(Boolean) ?? []) as ProcessStatus[];
  const outcome = OUTCOMES.find((o) => o.value === q.get("outcome"))?.value ?? "";
  const script = q.get("script") ?? "";
  const user = q.get("user") ?? "";
  const from = q.get("from") ?? "";
  const to = q.get("to") ?? "";
  const page = Math.max(0, Number(q.get("page") ?? 0) || 0);
  const filter: ProcessFilter = {
    script: script || undefined,
    userId: user || undefined,
    createdAfter: dayBound(from, false),
    createdBefore: dayBound(to, true),
  };
  const outcomes = outcome ? [outcome] : undefined;
  const key = JSON.stringify([filter, status, outcome, page]);
  const list = usePoll(
    (s) => listProcesses(me, { ...filter, status, outcome: outcomes, page, size: PAGE_SIZE }, s),
    3000,
    [me, key],
  );
  const counts = usePoll((s) => countByStatus(me, filter, STATUSES, s), 5000, [me, JSON.stringify(filter)]);
  const scripts = usePoll((s) => listScripts(s), null, []);
  const users = usePoll(
    (s) =>
      isAdmin(me)
        ? getJson<{ users: UserSummary[] }>("/api/auth/users", s).then((b) => b.users)
        : Promise.resolve([] as UserSummary[]),
    null,
    [me],
  );
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string>();

  const setParam = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(q);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!("page" in changes)) next.delete("page");
    const s = next.toString();
    navigate(s ? `${path}?${s}` : path, true);
  };
  const toggleStatus = (s: ProcessStatus) => {
    const next = status.includes(s) ? status.filter((x) => x !== s) : [...status, s];
    setParam({ status: next.join(",") || undefined });
  };
  const userName = (id: string | null) =>
    id === null
      ? "–"
      : (users.data?.find((u) => u.userId === id)?.name ?? (id === me.userId ? me.name : id.slice(0, 8)));

  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const selection = mayManage(me)
    ? {
        selected,
        toggle: (id: number) =>
          setSelected((s) => {
            const n = new Set(s);
            if (n.has(id)) n.delete(id);
            else n.add(id);
            return n;
          }),
        toggleAll: (on: boolean) =>
          setSelected((s) => {
            const n = new Set(s);
            for (const p of items) {
              if (on) n.add(p.processId);
              else n.delete(p.processId);
            }
            return n;
          }),
      }
    : undefined;

  const deleteSelected = async () => {
    setConfirming(false);
    try {
      const response = await request(`/api/system/processes?ids=${[...selected].join(",")}`, {
        method: "DELETE",
      });
      const result = (await response.json()) as {
        deleted: number[];
        refused: { processId: number; detail?: string }[];
      };
      setMessage(
        `Deleted ${result.deleted.length} process${result.deleted.length === 1 ? "" : "es"}.` +
          (result.refused.length
            ? ` Not deleted: ${result.refused.map((r) => r.detail ?? `#${r.processId}`).join("; ")}`
            : ""),
      );
      setSelected(new Set(result.refused.map((r) => r.processId)));
    } catch (err) {
      setMessage(err instanceof ApiError ? err.message : String(err));
    }
    list.reload();
    counts.reload();
  };

  return (
    <>
      <h1>Processes</h1>
      <div className="filters">
        <fieldset className="status-filter">
          <legend>Status</legend>
          {STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip badge-${s.toLowerCase()}`}
              aria-pressed={status.includes(s)}
              onClick={() => toggleStatus(s)}
            >
              {status.includes(s) && <span aria-hidden="true">✓ </span>}
              {s} <span className="count">{counts.data ? formatCount(counts.data[s]) : "…"}</span>
            </button>
          ))}
        </fieldset>
        <div className="filter-row">
          <div className="field">
            <label htmlFor="filter-script">Script</label>
            <select id="filter-script" value={script} onChange={(e) => setParam({ script: e.target.value })}>
              <option value="">All scripts</option>
              {[...new Set([...(scripts.data?.map((s) => s.name) ?? []), ...(script ? [script] : [])])].map(
                (n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ),
              )}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-outcome">Completed</label>
            <select
              id="filter-outcome"
              value={outcome}
              onChange={(e) => setParam({ outcome: e.target.value })}
            >
              <option value="">Any outcome</option>
              {OUTCOMES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          {isAdmin(me) && (
            <div className="field">
              <label htmlFor="filter-user">User</label>
              <select id="filter-user" value={user} onChange={(e) => setParam({ user: e.target.value })}>
                <option value="">All users</option>
                {users.data?.map((u) => (
                  <option key={u.userId} value={u.userId}>
                    {u.name} ({u.role})
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="filter-from">Created from</label>
            <input
              id="filter-from"
              type="date"
              value={from}
              onChange={(e) => setParam({ from: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="filter-to">Created until</label>
            <input id="filter-to" type="date" value={to} onChange={(e) => setParam({ to: e.target.value })} />
          </div>
        </div>
      </div>
      {selection && (
        <div className="toolbar">
          {confirming ? (
            <>
              <span role="alert">
                Delete {selected.size} process{selected.size === 1 ? "" : "es"} with their files?
              </span>
              <button type="button" className="danger" onClick={() => void deleteSelected()}>
                Yes, delete
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                Keep them
              </button>
            </>
          ) : (
            <button
              type="button"
              className="danger"
              disabled={selected.size === 0}
              onClick={() => setConfirming(true)}
            >
              Delete selected ({selected.size})
            </button>
          )}
          {message && <span role="status">{message}</span>}
        </div>
      )}
      {list.error && <p className="error">{list.error.message}</p>}
      <p className="muted" aria-live="polite">
        {list.data ? `${formatCount(total)} process${total === 1 ? "" : "es"}` : "Loading…"}
      </p>
      <ProcessTable
        processes={items}
        caption="Processes"
        now={Date.now()}
        userName={isAdmin(me) ? userName : undefined}
        selection={selection}
        empty="No process matches."
      />
      <nav className="pager" aria-label="Pages">
        <button
          type="button"
          className="secondary"
          disabled={page === 0}
          onClick={() => setParam({ page: "0" })}
        >
          First
        </button>
        <button
          type="button"
          className="secondary"
          disabled={page === 0}
          onClick={() => setParam({ page: String(page - 1) })}
        >
          Previous
        </button>
        <span>
          Page {formatCount(page + 1)} of {formatCount(pages)}
        </span>
        <button
          type="button"
          className="secondary"
          disabled={page + 1 >= pages}
          onClick={() => setParam({ page: String(page + 1) })}
        >
          Next
        </button>
        <button
          type="button"
          className="secondary"
          disabled={page + 1 >= pages}
          onClick={() => setParam({ page: String(pages - 1) })}
        >
          Last
        </button>
      </nav>
    </>
  );
}
