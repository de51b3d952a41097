/** The scripts the user may run, with their parameters' help. */
import { usePoll } from "../lib/hooks.ts";
import { Link } from "../lib/router.tsx";
import { listScripts } from "../lib/scripts.ts";
import { useMe } from "../lib/session.tsx";
import type { ScriptParameter } from "../lib/types.ts";

function typeLabel(p: ScriptParameter): string {
  if (p.values) return p.values.join(" | ");
  return (
    { InputStream: "file", OutputStream: "output file", String: "text", Integer: "number" }[p.type] ?? p.type
  );
}

export function Scripts() {
  const me = useMe();
  const { data, error } = usePoll((s) => listScripts(s), null, []);
  return (
    <>
      <h1>Scripts</h1>
      {error && <p className="error">{error.message}</p>}
      {data && !data.length && (
        <p className="muted">
          {me.role === "viewer"
            ? "Your role (viewer) reads processes; it starts none."
            : "No script is configured for your role."}
        </p>
      )}
      <ul className="cards">
        {data?.map((s) => (
          <li key={s.name} className="card">
            <div className="card-head">
              <h2>{s.name}</h2>
              <Link to={`/scripts/${encodeURIComponent(s.name)}/new`} className="button">
                New process<span className="visually-hidden"> of {s.name}</span>
              </Link>
            </div>
            <p>{s.description}</p>
            <details>
              <summary>Parameters ({s.parameters.length})</summary>
              <table className="params">
                <caption className="visually-hidden">Parameters of {s.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Parameter</th>
                    <th scope="col">Type</th>
                    <th scope="col">Required</th>
                    <th scope="col">Default</th>
                    <th scope="col">Help</th>
                  </tr>
                </thead>
                <tbody>
                  {s.parameters.map((p) => (
                    <tr key={p.nameLong}>
                      <td>
                        <code>{p.nameLong}</code> <code>{p.name}</code>
                      </td>
                      <td>{typeLabel(p)}</td>
                      <td>{p.mandatory ? "yes" : "no"}</td>
                      <td>{p.defaultValue === undefined ? "–" : String(p.defaultValue)}</td>
                      <td>{p.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </li>
        ))}
      </ul>
    </>
  );
}
