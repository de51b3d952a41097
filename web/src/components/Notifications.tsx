/** The notifications sent about a process (GET .../notifications, when the server has it). */
import { getJson, isMissingRoute } from "../lib/api.ts";
import { formatTime } from "../lib/format.ts";
import { usePoll } from "../lib/hooks.ts";
import { TableWrap } from "./TableWrap.tsx";

type Notification = Record<string, unknown>;

async function load(id: number, signal: AbortSignal): Promise<Notification[] | undefined> {
  try {
    const body = await getJson<unknown>(`/api/system/processes/${id}/notifications`, signal);
    if (Array.isArray(body)) return body as Notification[];
    const b = body as { _embedded?: { notifications?: Notification[] }; notifications?: Notification[] };
    return b._embedded?.notifications ?? b.notifications ?? [];
  } catch (err) {
    if (isMissingRoute(err)) return undefined;
    throw err;
  }
}

const text = (v: unknown) =>
  v === undefined || v === null ? "–" : Array.isArray(v) ? v.join(", ") : String(v);

export function Notifications({ processId, version }: { processId: number; version: string }) {
  const { data, error } = usePoll((s) => load(processId, s), null, [processId, version]);
  if (error) return <p className="error">{error.message}</p>;
  if (data === undefined) return <p className="muted">This server sends no notifications.</p>;
  if (!data.length) return <p className="muted">No notification was sent about this process.</p>;
  return (
    <TableWrap label="Notifications sent">
      <table>
        <caption className="visually-hidden">Notifications sent</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">To</th>
            <th scope="col">Event</th>
            <th scope="col">State</th>
            <th scope="col">Sent</th>
          </tr>
        </thead>
        <tbody>
          {data.map((n, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the server's order; no stable id is promised
            <tr key={i}>
              <td>{text(n.channel ?? n.kind)}</td>
              <td>{text(n.to ?? n.recipients ?? n.url)}</td>
              <td>{text(n.event ?? n.rule)}</td>
              <td>
                {text(n.state ?? n.status)}
                {typeof n.attempts === "number" && n.attempts > 1 ? ` after ${n.attempts} attempts` : ""}
                {n.lastError ? <div className="muted">{text(n.lastError)}</div> : null}
              </td>
              <td>{formatTime((n.sentAt ?? n.deliveredAt ?? n.createdAt) as string | undefined)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
