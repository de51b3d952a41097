/** One process: status, live progress and log, parameters, files, report, notifications and actions. */
import { useState } from "react";
import { LogView } from "../components/LogView.tsx";
import { Notifications } from "../components/Notifications.tsx";
import { ProgressBar } from "../components/ProgressBar.tsx";
import { ReportView } from "../components/ReportView.tsx";
import { SandboxBanner } from "../components/SandboxBanner.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { accountIsSandbox, loadAccounts } from "../lib/accounts.ts";
import { ApiError, getJson, request, sendJson } from "../lib/api.ts";
import { contentPath, fileBlob, fileTypeOf, findFiles, listFiles } from "../lib/files.ts";
import { formatBytes, formatDuration, formatTime } from "../lib/format.ts";
import { usePoll } from "../lib/hooks.ts";
import { navigate } from "../lib/router.tsx";
import { getScript, listScripts, parameterNamed } from "../lib/scripts.ts";
import { mayManage, useMe } from "../lib/session.tsx";
import type { Process, ProcessFile } from "../lib/types.ts";

const isFinished = (p: Process) => !["SCHEDULED", "RUNNING"].includes(p.processStatus);

export function ProcessPage({ id }: { id: number }) {
  const me = useMe();
  const [finishedOnce, setFinishedOnce] = useState(false);
  const proc = usePoll(
    (s) => getJson<Process>(`/api/system/processes/${id}`, s),
    finishedOnce ? null : 1000,
    [id, finishedOnce],
  );
  const p = proc.data;
  if (p && isFinished(p) && !finishedOnce) setFinishedOnce(true);
  const version = p ? `${p.processStatus}-${p.endTime ?? ""}` : "";
  const files = usePoll((s) => listFiles(id, s), p && !isFinished(p) ? 3000 : null, [id, version]);
  const accounts = usePoll((s) => loadAccounts(s), null, []);
  // Re-runs start a process of the script: shown only to who may run it (the scripts list holds those).
  const runnable = usePoll((s) => listScripts(s), null, []);
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();

  if (proc.error)
    return (
      <>
        <h1>Process {id}</h1>
        <p className="error" role="alert">
          {proc.error.message}
        </p>
      </>
    );
  if (!p) return <p className="loading">Loading…</p>;
  const found = findFiles(files.data ?? []);
  const account = p.account ?? (p.scriptName.startsWith("worldcat-") ? "sandbox" : null);
  const manage = mayManage(me);
  const mayRerun = manage && !!runnable.data?.some((s) => s.name === p.scriptName);
  const now = Date.now();
  const duration = p.startTime
    ? (p.endTime ? Date.parse(p.endTime) : now) - Date.parse(p.startTime)
    : undefined;

  const act = async (what: string, run: () => Promise<Process | undefined>) => {
    setMessage(undefined);
    try {
      const result = await run();
      if (result && result.processId !== p.processId) navigate(`/processes/${result.processId}`);
      else {
        setMessage({ text: `${what}: done.` });
        setFinishedOnce(false);
        proc.reload();
      }
    } catch (err) {
      setMessage({ text: `${what}: ${err instanceof ApiError ? err.message : String(err)}`, error: true });
    }
  };
  const rerun = (resume: boolean) =>
    sendJson<Process>("POST", `/api/system/processes/${id}/rerun?resume=${resume}`);
  const rerunFailures = async () => {
    const failures = found.failures;
    if (!failures) throw new Error("this process wrote no failures file");
    return startWithInput(p, failures);
  };

  return (
    <>
      <div className="page-head">
        <h1>
          Process {p.processId}: {p.scriptName}
        </h1>
        <StatusBadge status={p.processStatus} outcome={p.outcome} text={p.statusText} />
      </div>
      {account && accountIsSandbox(account, accounts.data) && <SandboxBanner account={account} />}
      {manage && (
        <div className="toolbar">
          {!isFinished(p) && (
            <button
              type="button"
              className="danger"
              onClick={() =>
                void act("Cancel", () => sendJson<Process>("POST", `/api/system/processes/${id}/cancel`))
              }
            >
              Cancel
            </button>
          )}
          {isFinished(p) && mayRerun && (
            <button type="button" onClick={() => void act("Re-run", () => rerun(false))}>
              Re-run
            </button>
          )}
          {(p.processStatus === "FAILED" || p.processStatus === "CANCELLED") && mayRerun && (
            <button type="button" className="secondary" onClick={() => void act("Resume", () => rerun(true))}>
              Resume
            </button>
          )}
          {isFinished(p) && found.failures && mayRerun && (
            <button
              type="button"
              className="secondary"
              onClick={() => void act("Re-run the failures", rerunFailures)}
            >
              Re-run the failures only
            </button>
          )}
        </div>
      )}
      {message && (
        <p className={message.error ? "error" : "notice"} role={message.error ? "alert" : "status"}>
          {message.text}
        </p>
      )}
      <section aria-labelledby="status-h">
        <h2 id="status-h" className="visually-hidden">
          Status
        </h2>
        <dl className="facts">
          <dt>Status</dt>
          <dd data-testid="status" data-status={p.processStatus}>
            {p.statusText ?? p.processStatus}
          </dd>
          <dt>Started by</dt>
          <dd>{p.startedBy}</dd>
          <dt>Account</dt>
          <dd>{account ?? "–"}</dd>
          <dt>Created</dt>
          <dd>{formatTime(p.creationTime)}</dd>
          {p.processStatus === "SCHEDULED" && (
            <>
              <dt>Starts</dt>
              <dd>{formatTime(p.runAt)}</dd>
            </>
          )}
          <dt>Started</dt>
          <dd>{formatTime(p.startTime)}</dd>
          <dt>Ended</dt>
          <dd>{formatTime(p.endTime)}</dd>
          <dt>Duration</dt>
          <dd>{duration === undefined ? "–" : formatDuration(duration)}</dd>
          {p.resumedFrom !== null && (
            <>
              <dt>Resumes</dt>
              <dd>
                <a href={`/processes/${p.resumedFrom}`}>process {p.resumedFrom}</a>
              </dd>
            </>
          )}
          {p.exitMessage && (
            <>
              <dt>Message</dt>
              <dd>{p.exitMessage}</dd>
            </>
          )}
        </dl>
        <ProgressBar process={p} now={now} />
      </section>
      <LogView processId={p.processId} logHref={found.log ? contentPath(found.log) : undefined} />
      <ReportView report={found.report} summary={found.summary} failures={found.failures} version={version} />
      <div className="two-col">
        <section aria-labelledby="params-h">
          <h2 id="params-h">Parameters</h2>
          {p.parameters.length ? (
            <table>
              <caption className="visually-hidden">Parameters</caption>
              <tbody>
                {p.parameters.map((x, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a parameter may be given twice
                  <tr key={i}>
                    <th scope="row">
                      <code>{x.name}</code>
                    </th>
                    {/* as sent: a flag sent without a value shows no value */}
                    <td>{x.value === null ? "" : String(x.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="muted">None.</p>
          )}
        </section>
        <section aria-labelledby="files-h">
          <h2 id="files-h">Files</h2>
          <FileList files={files.data} />
        </section>
      </div>
      <section aria-labelledby="notify-h">
        <h2 id="notify-h">Notifications</h2>
        <Notifications processId={p.processId} version={version} />
      </section>
    </>
  );
}

function FileList({ files }: { files: ProcessFile[] | undefined }) {
  if (!files) return <p className="loading">Loading…</p>;
  if (!files.length) return <p className="muted">No files yet.</p>;
  return (
    <table>
      <caption className="visually-hidden">Files</caption>
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Type</th>
          <th scope="col" className="num">
            Size
          </th>
        </tr>
      </thead>
      <tbody>
        {files.map((f) => (
          <tr key={String(f.id)}>
            <td>
              <a href={contentPath(f)} download={f.name}>
                {f.name}
              </a>
            </td>
            <td>{fileTypeOf(f)}</td>
            <td className="num">{formatBytes(f.sizeBytes)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A new process of the same script with the same parameters, reading `input` (the failures file) where the
 * old one read its upload; `--resume` is left out (the new input is a new batch).
 */
async function startWithInput(p: Process, input: ProcessFile): Promise<Process> {
  const script = await getScript(p.scriptName);
  const fileParam = script.parameters.find(
    (d) => d.type === "InputStream" && p.parameters.some((x) => x.name === d.name || x.name === d.nameLong),
  );
  if (!fileParam) throw new Error(`script '${p.scriptName}' reads no input file`);
  const properties = p.parameters
    .filter((x) => parameterNamed(script, x.name)?.nameLong !== "--resume")
    .map((x) => (parameterNamed(script, x.name) === fileParam ? { name: x.name, value: input.name } : x));
  const form = new FormData();
  form.set("properties", JSON.stringify(properties));
  form.append("file", await fileBlob(input), input.name);
  const response = await request(`/api/system/scripts/${encodeURIComponent(p.scriptName)}/processes`, {
    method: "POST",
    body: form,
  });
  return (await response.json()) as Process;
}
