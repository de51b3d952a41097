/** The next runs of the schedules, when the server has schedules (GET /api/system/schedules). */
import { formatTime } from "../../lib/format.ts";
import { usePoll } from "../../lib/hooks.ts";
import { Link } from "../../lib/router.tsx";
import { listSchedules } from "../../lib/schedules.ts";

export function NextScheduledRuns() {
  const { data, error } = usePoll((s) => listSchedules(s), 30_000, []);
  if (error) return <p className="error">{error.message}</p>;
  if (data === undefined) return <p className="muted">Loading…</p>;
  if (data === null) return <p className="muted">This server has no schedules.</p>;
  const next = data
    .filter((s) => s.enabled && s.nextRuns.length)
    .map((s) => ({ s, at: s.nextRuns[0] }))
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(0, 10);
  if (!next.length)
    return (
      <p className="muted">
        No schedule will run. <Link to="/schedules">Schedules</Link>
      </p>
    );
  return (
    <ul className="plain">
      {next.map(({ s, at }) => (
        <li key={s.name}>
          <strong>{s.name}</strong> ({s.script}) at {formatTime(at, s.timezone)}
        </li>
      ))}
    </ul>
  );
}
