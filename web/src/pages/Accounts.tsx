/**
 * Accounts (admins): each service account — SANDBOX or PRODUCTION, auth mode, institution, scopes, what uses
 * it, last use and last error — with "Check access" running the permission probe; and the doctor's findings.
 * Never a secret: the server sends none.
 */
import { useState } from "react";
import { TableWrap } from "../components/TableWrap.tsx";
import {
  type AccessCheck,
  type AccountReport,
  checkAccess,
  type Finding,
  loadAccountReports,
  loadFindings,
} from "../lib/account-admin.ts";
import { ApiError } from "../lib/api.ts";
import { formatTime } from "../lib/format.ts";
import { usePoll } from "../lib/hooks.ts";
import { Link } from "../lib/router.tsx";
import { isAdmin, useMe } from "../lib/session.tsx";

export function Accounts() {
  const me = useMe();
  const accounts = usePoll((s) => loadAccountReports(s), 30_000, []);
  const findings = usePoll((s) => loadFindings(s), null, []);
  if (!isAdmin(me))
    return (
      <>
        <h1>Accounts</h1>
        <p className="error" role="alert">
          Only admins see the service accounts.
        </p>
      </>
    );
  return (
    <>
      <h1>Accounts</h1>
      <p className="muted">
        Service accounts from the configuration file. Secrets stay there (by reference): none is shown here.
      </p>
      {accounts.error && (
        <p className="error" role="alert">
          {accounts.error.message}
        </p>
      )}
      {!accounts.data && !accounts.error && <p className="loading">Loading…</p>}
      <ul className="cards accounts">
        {accounts.data?.map((a) => (
          <AccountCard key={a.name} account={a} />
        ))}
      </ul>
      <section aria-labelledby="doctor-h">
        <div className="section-head">
          <h2 id="doctor-h">The doctor's findings</h2>
          <button type="button" className="secondary" onClick={findings.reload}>
            Check again
          </button>
        </div>
        <p className="muted">
          What <code>nightshift doctor</code> finds in the configuration: secrets, accounts, schedules,
          triggers and channels.
        </p>
        {findings.error && (
          <p className="error" role="alert">
            {findings.error.message}
          </p>
        )}
        {findings.data && <Findings findings={findings.data} />}
      </section>
    </>
  );
}

function AccountCard({ account: a }: { account: AccountReport }) {
  const [check, setCheck] = useState<AccessCheck>();
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string>();
  const institution = [a.institution.registryId, a.institution.symbol].filter(Boolean).join(" / ") || "–";
  const run = async () => {
    setChecking(true);
    setError(undefined);
    try {
      setCheck(await checkAccess(a.name));
    } catch (err) {
      setCheck(undefined);
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setChecking(false);
    }
  };
  const uses = [
    ...a.usedBy.scripts.map((s) => ({ kind: "script", name: s, to: `/scripts` })),
    ...a.usedBy.schedules.map((s) => ({ kind: "schedule", name: s, to: `/schedules` })),
    ...a.usedBy.triggers.map((s) => ({ kind: "trigger", name: s, to: `/triggers` })),
  ];
  const headingId = `account-${a.name}-h`;
  return (
    <li className="card account">
      <section aria-labelledby={headingId}>
        <div className="card-head">
          <h2 id={headingId}>{a.name}</h2>
          <span className={`env env-${a.environment.toLowerCase()}`}>{a.environment}</span>
        </div>
        <dl className="facts one">
          <dt>Auth</dt>
          <dd>{a.auth}</dd>
          <dt>Institution</dt>
          <dd>{institution}</dd>
          <dt>Scopes</dt>
          <dd>
            {a.scopes.map((s) => (
              <code key={s} className="scope">
                {s}
              </code>
            ))}
          </dd>
          <dt>Used by</dt>
          <dd>
            {uses.length ? (
              <ul className="plain compact">
                {uses.map((u) => (
                  <li key={`${u.kind}:${u.name}`}>
                    {u.kind} <Link to={u.to}>{u.name}</Link>
                  </li>
                ))}
              </ul>
            ) : (
              <span className="muted">nothing in the configuration</span>
            )}
          </dd>
          <dt>Last used</dt>
          <dd>{a.lastUsedAt ? formatTime(a.lastUsedAt) : "never"}</dd>
          <dt>Last error</dt>
          <dd>
            {a.lastError ? (
              <>
                <Link to={`/processes/${a.lastError.processId}`}>process {a.lastError.processId}</Link> at{" "}
                {formatTime(a.lastError.at)}
                {a.lastError.message && <div className="muted">{a.lastError.message}</div>}
              </>
            ) : (
              "none"
            )}
          </dd>
        </dl>
        <div className="toolbar">
          <button type="button" onClick={() => void run()} disabled={checking}>
            {checking ? "Checking…" : "Check access"}
            <span className="visually-hidden"> of {a.name}</span>
          </button>
          <span className="muted">a token, then one harmless call per operation; nothing is changed</span>
        </div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {check && <CheckResult check={check} />}
      </section>
    </li>
  );
}

function CheckResult({ check }: { check: AccessCheck }) {
  const yes = check.results.filter((r) => r.verdict === "yes").length;
  const no = check.results.filter((r) => r.verdict === "no").length;
  const unknown = check.results.length - yes - no;
  return (
    <div className="check-result" role="status" aria-label={`Access of ${check.account}`}>
      {check.tokenError ? (
        <p className="error">No token: {check.tokenError}</p>
      ) : (
        <p>
          <strong>
            {yes} of {check.results.length} operations allowed
          </strong>
          {no > 0 && `, ${no} refused`}
          {unknown > 0 && `, ${unknown} not known`} (checked {formatTime(check.checkedAt)}).
        </p>
      )}
      {check.scripts.length > 0 && (
        <ul className="plain compact">
          {check.scripts.map((s) => (
            <li key={s.script} className={s.denied.length ? "error" : undefined}>
              {s.script}:{" "}
              {s.denied.length
                ? `needs ${s.denied.join(", ")}, which the account may not do`
                : s.needs.length
                  ? "everything it needs is allowed"
                  : "needs nothing the probe checks"}
            </li>
          ))}
        </ul>
      )}
      {check.scripts.length === 0 && <p className="muted">No script is bound to this account.</p>}
      <details>
        <summary>Every operation ({check.results.length})</summary>
        <TableWrap label={`Operations of ${check.account}`}>
          <table className="probe">
            <caption className="visually-hidden">Operations of {check.account}</caption>
            <thead>
              <tr>
                <th scope="col">Operation</th>
                <th scope="col">Allowed</th>
                <th scope="col">Evidence</th>
              </tr>
            </thead>
            <tbody>
              {check.results.map((r) => (
                <tr key={r.operation}>
                  <td>{r.operation}</td>
                  <td className={`verdict-${r.verdict}`}>{r.verdict}</td>
                  <td>
                    <code>{r.evidence}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </div>
  );
}

function Findings({ findings }: { findings: readonly Finding[] }) {
  if (!findings.length) return <p className="notice">No findings: the configuration is clean.</p>;
  const errors = findings.filter((f) => f.severity === "error").length;
  return (
    <>
      <p>
        {errors} error{errors === 1 ? "" : "s"}, {findings.length - errors} warning
        {findings.length - errors === 1 ? "" : "s"}.
      </p>
      <TableWrap label="Findings">
        <table className="findings">
          <caption className="visually-hidden">The doctor's findings</caption>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Code</th>
              <th scope="col">Where</th>
              <th scope="col">What</th>
              <th scope="col">Fix</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same code may be found twice in one place
              <tr key={i}>
                <td>
                  <span className={`badge severity-${f.severity}`}>{f.severity}</span>
                </td>
                <td>
                  <code>{f.code}</code>
                </td>
                <td>
                  <code>{f.where}</code>
                </td>
                <td>{f.message}</td>
                <td>{f.fix}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </>
  );
}
