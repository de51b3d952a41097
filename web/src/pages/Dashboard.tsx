/**
 * Home: what runs now, what failed in the last 7 days and what completed with failed items (a batch whose
 * records partly failed needs a look as much as a failed one), what starts next.
 */
import { ProcessTable } from "../components/ProcessTable.tsx";
import { usePoll } from "../lib/hooks.ts";
import { listProcesses, type ProcessFilter } from "../lib/processes.ts";
import { Link } from "../lib/router.tsx";
import { useMe } from "../lib/session.tsx";
import { NextScheduledRuns } from "./schedules/NextScheduledRuns.tsx";

const WEEK_MS = 7 * 24 * 3600_000;

interface SectionProps {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly empty: string;
  /** The list's filter; `week`: only processes created in the last 7 days. */
  readonly filter: ProcessFilter;
  readonly week?: boolean;
  readonly pollMs: number;
  /** Where the whole list is, linked when the section shows only part of it. */
  readonly all?: { readonly to: string; readonly label: string };
}

/** One list of the dashboard: its heading with the total, the first 20, a link to the rest. */
function ProcessSection({ id, title, caption, empty, filter, week, pollMs, all }: SectionProps) {
  const me = useMe();
  const list = usePoll(
    (s) =>
      listProcesses(
        me,
        { ...filter, ...(week ? { createdAfter: new Date(Date.now() - WEEK_MS).toISOString() } : {}) },
        s,
      ),
    pollMs,
    [me],
  );
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} {list.data ? `(${list.data.total})` : ""}
      </h2>
      {list.error && <p className="error">{list.error.message}</p>}
      {list.data && (
        <ProcessTable processes={list.data.items} caption={caption} now={Date.now()} empty={empty} />
      )}
      {all && list.data && list.data.total > list.data.items.length && (
        <p>
          <Link to={all.to}>{all.label}</Link>
        </p>
      )}
    </section>
  );
}

export function Dashboard() {
  const me = useMe();
  const queued = usePoll(
    (s) => listProcesses(me, { status: ["SCHEDULED"], size: 10, sort: "creationTime,asc" }, s),
    5000,
    [me],
  );
  return (
    <>
      <h1>Dashboard</h1>
      <ProcessSection
        id="running-h"
        title="Running now"
        caption="Running processes"
        empty="Nothing is running."
        filter={{ status: ["RUNNING"], size: 20 }}
        pollMs={3000}
      />
      <ProcessSection
        id="failed-h"
        title="Failed in the last 7 days"
        caption="Processes that failed in the last 7 days"
        empty="No process failed in the last 7 days."
        filter={{ status: ["FAILED"], size: 20 }}
        week
        pollMs={10_000}
        all={{ to: "/processes?status=FAILED", label: "All failed processes" }}
      />
      <ProcessSection
        id="partly-h"
        title="Completed with failed items in the last 7 days"
        caption="Processes that completed with failed items in the last 7 days"
        empty="No process completed with failed items in the last 7 days."
        filter={{ status: ["COMPLETED"], outcome: ["errors"], size: 20 }}
        week
        pollMs={10_000}
        all={{
          to: "/processes?status=COMPLETED&outcome=errors",
          label: "All processes completed with failed items",
        }}
      />
      <section aria-labelledby="next-h">
        <h2 id="next-h">Next scheduled runs</h2>
        <NextScheduledRuns />
        <h3>Waiting to start</h3>
        {queued.data && (
          <ProcessTable
            processes={queued.data.items}
            caption="Processes waiting to start"
            now={Date.now()}
            empty="No process is waiting to start."
          />
        )}
      </section>
    </>
  );
}
