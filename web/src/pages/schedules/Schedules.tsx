/** Schedules: next runs and last outcome, enable/disable, run now, delete; admins create new ones. */
import { useState } from "react";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { TableWrap } from "../../components/TableWrap.tsx";
import { ApiError } from "../../lib/api.ts";
import { describeCron } from "../../lib/cron.ts";
import { formatTime } from "../../lib/format.ts";
import { usePoll } from "../../lib/hooks.ts";
import { Link, navigate } from "../../lib/router.tsx";
import {
  changeSchedule,
  deleteSchedule,
  listSchedules,
  runSchedule,
  type Schedule,
} from "../../lib/schedules.ts";
import { listScripts } from "../../lib/scripts.ts";
import { isAdmin, mayManage, useMe } from "../../lib/session.tsx";

function plain(s: Schedule): string {
  try {
    return describeCron(s.cron, s.timezone);
  } catch {
    return s.cron;
  }
}

export function Schedules() {
  const me = useMe();
  const list = usePoll((s) => listSchedules(s), 10_000, []);
  // Run now needs what the API asks: the right to run the schedule's script (the scripts list holds those).
  const runnable = usePoll((s) => listScripts(s), null, []);
  const mayRun = (script: string) => mayManage(me) && !!runnable.data?.some((x) => x.name === script);
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();
  const act = async (what: string, work: () => Promise<unknown>) => {
    setMessage(undefined);
    try {
      await work();
      setMessage({ text: `${what}: done.` });
    } catch (err) {
      setMessage({ text: `${what}: ${err instanceof ApiError ? err.message : String(err)}`, error: true });
    }
    list.reload();
  };
  return (
    <>
      <div className="page-head">
        <h1>Schedules</h1>
        {isAdmin(me) && list.data && (
          <Link to="/schedules/new" className="button">
            New schedule
          </Link>
        )}
      </div>
      {message && (
        <p className={message.error ? "error" : "notice"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      )}
      {list.error && <p className="error">{list.error.message}</p>}
      {list.data === undefined && !list.error && <p className="muted">Loading…</p>}
      {list.data === null && <p className="muted">This server has no schedules.</p>}
      {list.data?.length === 0 && <p className="muted">No schedules yet.</p>}
      {list.data && list.data.length > 0 && (
        <TableWrap label="Schedules">
          <table>
            <caption className="visually-hidden">Schedules</caption>
            <thead>
              <tr>
                <th scope="col">Schedule</th>
                <th scope="col">Script</th>
                <th scope="col">When</th>
                <th scope="col">Next runs</th>
                <th scope="col">Last process</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((s) => (
                <tr key={s.name}>
                  <td>
                    <strong>{s.name}</strong>
                    {!s.enabled && <span className="tag">disabled</span>}
                    {s.readOnly && <span className="tag">config file</span>}
                    {s.source === "builtin" && <span className="tag">built in</span>}
                  </td>
                  <td>
                    {s.script}
                    {s.account && <div className="muted">account {s.account}</div>}
                  </td>
                  <td>
                    {plain(s)}
                    <div className="muted">
                      <code>{s.cron}</code>
                    </div>
                  </td>
                  <td>
                    {s.nextRuns.length ? (
                      <ul className="plain compact" aria-label={`Next runs of ${s.name}`}>
                        {s.nextRuns.slice(0, 3).map((t) => (
                          <li key={t}>{formatTime(t, s.timezone)}</li>
                        ))}
                      </ul>
                    ) : (
                      <span className="muted">–</span>
                    )}
                  </td>
                  <td>
                    {s.lastProcess ? (
                      <>
                        <Link to={`/processes/${s.lastProcess.id}`}>#{s.lastProcess.id}</Link>{" "}
                        <StatusBadge status={s.lastProcess.status} outcome={s.lastProcess.outcome} />
                      </>
                    ) : (
                      <span className="muted">never ran</span>
                    )}
                  </td>
                  <td className="actions">
                    {mayRun(s.script) && (
                      <button
                        type="button"
                        className="secondary"
                        onClick={() =>
                          void act(`Run ${s.name}`, async () => {
                            const p = await runSchedule(s.name);
                            if (p) navigate(`/processes/${p.processId}`);
                          })
                        }
                      >
                        Run now<span className="visually-hidden"> {s.name}</span>
                      </button>
                    )}
                    {isAdmin(me) && !s.readOnly && (
                      <>
                        <button
                          type="button"
                          className="secondary"
                          onClick={() =>
                            void act(`${s.enabled ? "Disable" : "Enable"} ${s.name}`, () =>
                              changeSchedule(s.name, { enabled: !s.enabled }),
                            )
                          }
                        >
                          {s.enabled ? "Disable" : "Enable"}
                          <span className="visually-hidden"> {s.name}</span>
                        </button>
                        {/* A built-in schedule is disabled, never deleted. */}
                        {s.source !== "builtin" && (
                          <button
                            type="button"
                            className="danger"
                            onClick={() => void act(`Delete ${s.name}`, () => deleteSchedule(s.name))}
                          >
                            Delete<span className="visually-hidden"> {s.name}</span>
                          </button>
                        )}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </>
  );
}
