/**
 * Home: what runs now, what failed in the last 7 days and what completed with failed items (a batch whose
 * records partly failed needs a look as much as a failed one), what starts next.
 */
import { ProcessTable } from "../components/ProcessTable.tsx";
import { usePoll } from "../lib/hooks.ts";
import { listProcesses } from "../lib/processes.ts";
import { Link } from "../lib/router.tsx";
import { useMe } from "../lib/session.tsx";
import { NextScheduledRuns } from "./schedules/NextScheduledRuns.tsx";

const WEEK_MS = 7 * 24 * 3600_000;

export function Dashboard() {
  const me = useMe();
  const running = usePoll((s) => listProcesses(me, { status: ["RUNNING"], size: 20 }, s), 3000, [me]);
  const failed = usePoll(
    (s) =>
      listProcesses(
        me,
        { status: ["FAILED"], createdAfter: new Date(Date.now() - WEEK_MS).toISOString(), size: 20 },
        s,
      ),
    10_000,
    [me],
  );
  const partly = usePoll(
    (s) =>
      listProcesses(
        me,
        {
          status: ["COMPLETED"],
          outcome: ["errors"],
          createdAfter: new Date(Date.now() - WEEK_MS).toISOString(),
          size: 20,
        },
        s,
      ),
    10_000,
    [me],
  );
  const queued = usePoll(
    (s) => listProcesses(me, { status: ["SCHEDULED"], size: 10, sort: "creationTime,asc" }, s),
    5000,
    [me],
  );
  const now = Date.now();
  return (
    <>
      <h1>Dashboard</h1>
      <section aria-labelledby="running-h">
        <h2 id="running-h">Running now {running.data ? `(${running.data.total})` : ""}</h2>
        {running.error && <p className="error">{running.error.message}</p>}
        {running.data && (
          <ProcessTable
            processes={running.data.items}
            caption="Running processes"
            now={now}
            empty="Nothing is running."
          />
        )}
      </section>
      <section aria-labelledby="failed-h">
        <h2 id="failed-h">Failed in the last 7 days {failed.data ? `(${failed.data.total})` : ""}</h2>
        {failed.error && <p className="error">{failed.error.message}</p>}
        {failed.data && (
          <ProcessTable
            processes={failed.data.items}
            caption="Processes that failed in the last 7 days"
            now={now}
            empty="No process failed in the last 7 days."
          />
        )}
        {failed.data && failed.data.total > failed.data.items.length && (
          <p>
            <Link to="/processes?status=FAILED">All failed processes</Link>
          </p>
        )}
      </section>
      <section aria-labelledby="partly-h">
        <h2 id="partly-h">
          Completed with failed items in the last 7 days {partly.data ? `(${partly.data.total})` : ""}
        </h2>
        {partly.error && <p className="error">{partly.error.message}</p>}
        {partly.data && (
          <ProcessTable
            processes={partly.data.items}
            caption="Processes that completed with failed items in the last 7 days"
            now={now}
            empty="No process completed with failed items in the last 7 days."
          />
        )}
        {partly.data && partly.data.total > partly.data.items.length && (
          <p>
            <Link to="/processes?status=COMPLETED&outcome=errors">
              All processes completed with failed items
            </Link>
          </p>
        )}
      </section>
      <section aria-labelledby="next-h">
        <h2 id="next-h">Next scheduled runs</h2>
        <NextScheduledRuns />
        <h3>Waiting to start</h3>
        {queued.data && (
          <ProcessTable
            processes={queued.data.items}
            caption="Processes waiting to start"
            now={now}
            empty="No process is waiting to start."
          />
        )}
      </section>
    </>
  );
}
