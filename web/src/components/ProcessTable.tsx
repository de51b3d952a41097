/** A list of processes; with `selection`, a checkbox per row to select it. */
import { formatTime } from "../lib/format.ts";
import { Link } from "../lib/router.tsx";
import type { Process } from "../lib/types.ts";
import { ProgressBar } from "./ProgressBar.tsx";
import { StatusBadge } from "./StatusBadge.tsx";
import { TableWrap } from "./TableWrap.tsx";

interface Props {
  readonly processes: readonly Process[];
  readonly caption: string;
  readonly now: number;
  readonly userName?: (id: string | null) => string;
  readonly selection?: {
    selected: ReadonlySet<number>;
    toggle(id: number): void;
    toggleAll(on: boolean): void;
  };
  readonly empty?: string;
}

export function ProcessTable({ processes, caption, now, userName, selection, empty }: Props) {
  if (!processes.length) return <p className="muted">{empty ?? "No processes."}</p>;
  const allSelected = selection && processes.every((p) => selection.selected.has(p.processId));
  return (
    <TableWrap label={caption}>
      <table className="processes">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {selection && (
              <th scope="col" className="check">
                <input
                  type="checkbox"
                  aria-label="Select all processes on this page"
                  checked={allSelected}
                  onChange={(e) => selection.toggleAll(e.target.checked)}
                />
              </th>
            )}
            <th scope="col">Process</th>
            <th scope="col">Script</th>
            <th scope="col">Status</th>
            {userName && <th scope="col">User</th>}
            <th scope="col">Created</th>
            <th scope="col" className="col-ended">
              Ended
            </th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {processes.map((p) => (
            <tr key={p.processId}>
              {selection && (
                <td className="check">
                  <input
                    type="checkbox"
                    aria-label={`Select process ${p.processId}`}
                    checked={selection.selected.has(p.processId)}
                    onChange={() => selection.toggle(p.processId)}
                  />
                </td>
              )}
              <td>
                <Link to={`/processes/${p.processId}`}>#{p.processId}</Link>
              </td>
              <td>{p.scriptName}</td>
              <td>
                <StatusBadge status={p.processStatus} outcome={p.outcome} text={p.statusText} />
              </td>
              {userName && <td>{userName(p.userId)}</td>}
              <td>{formatTime(p.processStatus === "SCHEDULED" ? p.runAt : p.creationTime)}</td>
              <td className="col-ended">{formatTime(p.endTime)}</td>
              <td>
                <ProgressBar process={p} now={now} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
