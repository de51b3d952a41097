/**
 * "New process": a form generated from the script's parameter definitions. Everything goes as multipart
 * (`properties` + `file` parts, as the contract's curl example); the server's refusals are shown beside the
 * field they name.
 */
import { type FormEvent, useState } from "react";
import { FileDrop } from "../components/FileDrop.tsx";
import { SandboxBanner } from "../components/SandboxBanner.tsx";
import { accountIsSandbox, loadAccounts } from "../lib/accounts.ts";
import { ApiError, type FieldProblem, request } from "../lib/api.ts";
import { usePoll } from "../lib/hooks.ts";
import { navigate } from "../lib/router.tsx";
import { getScript, isAccountParameter } from "../lib/scripts.ts";
import type { Process, Script, ScriptParameter } from "../lib/types.ts";

type Value = string | boolean;

const fieldId = (p: ScriptParameter) => `param-${p.nameLong.replace(/^-+/, "")}`;

function initialValues(script: Script): Record<string, Value> {
  const values: Record<string, Value> = {};
  for (const p of script.parameters) {
    if (p.type === "boolean") values[p.nameLong] = p.defaultValue === true || p.defaultValue === "true";
    else values[p.nameLong] = p.defaultValue === undefined ? "" : String(p.defaultValue);
  }
  return values;
}

/** The problems for one field (named by long or short name), and those that name none. */
function splitProblems(script: Script, problems: readonly FieldProblem[]) {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const problem of problems) {
    const p = script.parameters.find((d) => d.nameLong === problem.parameter || d.name === problem.parameter);
    const key = p ? p.nameLong : problem.parameter === "runAt" ? "runAt" : undefined;
    if (key) byField[key] = [...(byField[key] ?? []), problem.message];
    else general.push(problem.message);
  }
  return { byField, general };
}

export function NewProcess({ script: name }: { script: string }) {
  const loaded = usePoll((s) => getScript(name, s), null, [name]);
  const accounts = usePoll((s) => loadAccounts(s), null, []);
  if (loaded.error) return <p className="error">{loaded.error.message}</p>;
  if (!loaded.data) return <p className="loading">Loading…</p>;
  return <ProcessForm key={name} script={loaded.data} accounts={accounts.data} />;
}

function ProcessForm({
  script,
  accounts,
}: {
  script: Script;
  accounts: Awaited<ReturnType<typeof loadAccounts>>;
}) {
  const [values, setValues] = useState(() => initialValues(script));
  const [files, setFiles] = useState<Record<string, File | undefined>>({});
  const [when, setWhen] = useState<"now" | "at">("now");
  const [runAt, setRunAt] = useState("");
  const [problems, setProblems] = useState<{ byField: Record<string, string[]>; general: string[] }>({
    byField: {},
    general: [],
  });
  const [busy, setBusy] = useState(false);
  const set = (key: string, value: Value) => setValues((v) => ({ ...v, [key]: value }));
  const accountParam = script.parameters.find(isAccountParameter);
  const account = accountParam ? String(values[accountParam.nameLong] || "sandbox") : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const properties: { name: string; value: string }[] = [];
    const form = new FormData();
    for (const p of script.parameters) {
      const v = values[p.nameLong];
      if (p.type === "InputStream") {
        const file = files[p.nameLong];
        if (file) {
          properties.push({ name: p.nameLong, value: file.name });
          form.append("file", file, file.name);
        }
      } else if (p.type === "boolean") {
        const byDefault = p.defaultValue === true || p.defaultValue === "true";
        if (v !== byDefault) properties.push({ name: p.nameLong, value: String(v) });
      } else if (v !== "") properties.push({ name: p.nameLong, value: String(v) });
    }
    form.set("properties", JSON.stringify(properties));
    if (when === "at" && runAt) {
      const at = new Date(runAt);
      form.set("runAt", Number.isNaN(at.getTime()) ? runAt : at.toISOString());
    }
    try {
      const response = await request(`/api/system/scripts/${encodeURIComponent(script.name)}/processes`, {
        method: "POST",
        body: form,
      });
      const process = (await response.json()) as Process;
      navigate(`/processes/${process.processId}`);
    } catch (err) {
      if (err instanceof ApiError)
        setProblems(
          err.errors.length ? splitProblems(script, err.errors) : { byField: {}, general: [err.message] },
        );
      else setProblems({ byField: {}, general: [String(err)] });
      setBusy(false);
    }
  };

  const errorList = (key: string, id: string) =>
    problems.byField[key]?.length ? (
      <p className="field-error" id={id}>
        {problems.byField[key].join("; ")}
      </p>
    ) : null;

  return (
    <>
      <h1>New process: {script.name}</h1>
      <p>{script.description}</p>
      {account && accountIsSandbox(account, accounts) && <SandboxBanner account={account} />}
      <form onSubmit={submit} className="param-form" noValidate>
        {problems.general.length > 0 && (
          <div className="error" role="alert">
            {problems.general.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        {Object.keys(problems.byField).length > 0 && (
          <p className="error" role="alert">
            The server refused some values: see the fields marked below.
          </p>
        )}
        {script.parameters.map((p) => {
          const id = fieldId(p);
          const helpId = `${id}-help`;
          const errId = `${id}-error`;
          const invalid = Boolean(problems.byField[p.nameLong]?.length);
          const describedBy =
            [p.description ? helpId : "", invalid ? errId : ""].filter(Boolean).join(" ") || undefined;
          const label = (
            <label htmlFor={id}>
              {p.nameLong.replace(/^--/, "")}
              {p.mandatory && <span aria-hidden="true"> *</span>}
              {p.mandatory && <span className="visually-hidden"> (required)</span>}
              {p.secret && <span className="tag">secret</span>}
            </label>
          );
          const common = {
            id,
            "aria-describedby": describedBy,
            "aria-invalid": invalid || undefined,
          };
          let control: React.ReactNode;
          if (p.type === "boolean")
            control = (
              <input
                {...common}
                type="checkbox"
                checked={values[p.nameLong] === true}
                onChange={(e) => set(p.nameLong, e.target.checked)}
              />
            );
          else if (p.type === "InputStream")
            control = (
              <FileDrop
                id={id}
                file={files[p.nameLong]}
                onFile={(f) => setFiles((all) => ({ ...all, [p.nameLong]: f }))}
                describedBy={describedBy}
                required={p.mandatory}
                invalid={invalid}
              />
            );
          else if (p.values)
            control = (
              <select
                {...common}
                value={String(values[p.nameLong])}
                onChange={(e) => set(p.nameLong, e.target.value)}
              >
                {!p.mandatory || values[p.nameLong] === "" ? <option value="">(choose)</option> : null}
                {p.values.map((v) => (
                  <option key={v} value={v}>
                    {v}
                  </option>
                ))}
              </select>
            );
          else if (isAccountParameter(p) && accounts)
            control = (
              <select
                {...common}
                value={String(values[p.nameLong])}
                onChange={(e) => set(p.nameLong, e.target.value)}
              >
                <option value="">(default: sandbox)</option>
                {accounts.map((a) => (
                  <option key={a.name} value={a.name}>
                    {a.name} {a.sandbox ? "(SANDBOX)" : "(PRODUCTION)"}
                  </option>
                ))}
              </select>
            );
          else
            control = (
              <input
                {...common}
                type={
                  p.secret
                    ? "password"
                    : p.type === "Integer"
                      ? "number"
                      : p.type === "date"
                        ? "date"
                        : "text"
                }
                autoComplete={p.secret ? "off" : undefined}
                list={isAccountParameter(p) ? "account-names" : undefined}
                placeholder={isAccountParameter(p) ? "sandbox" : undefined}
                value={String(values[p.nameLong])}
                onChange={(e) => set(p.nameLong, e.target.value)}
              />
            );
          return (
            <div
              key={p.nameLong}
              className={`field${p.type === "boolean" ? " field-check" : ""}${invalid ? " invalid" : ""}`}
            >
              {p.type === "boolean" ? (
                <>
                  {control}
                  {label}
                </>
              ) : (
                <>
                  {label}
                  {control}
                </>
              )}
              {p.description && (
                <p className="help" id={helpId}>
                  {p.description}
                </p>
              )}
              {errorList(p.nameLong, errId)}
            </div>
          );
        })}
        <datalist id="account-names">
          <option value="sandbox" />
        </datalist>
        <fieldset className="field">
          <legend>When</legend>
          <label className="inline">
            <input type="radio" name="when" checked={when === "now"} onChange={() => setWhen("now")} /> Run
            now
          </label>
          <label className="inline">
            <input type="radio" name="when" checked={when === "at"} onChange={() => setWhen("at")} /> Run at
          </label>
          {when === "at" && (
            <>
              <label htmlFor="run-at">Start time (your local time)</label>
              <input
                id="run-at"
                type="datetime-local"
                value={runAt}
                onChange={(e) => setRunAt(e.target.value)}
                aria-invalid={Boolean(problems.byField.runAt) || undefined}
                aria-describedby={problems.byField.runAt ? "run-at-error" : undefined}
              />
            </>
          )}
          {errorList("runAt", "run-at-error")}
        </fieldset>
        <button type="submit" disabled={busy}>
          {busy ? "Starting…" : when === "now" ? "Start process" : "Schedule process"}
        </button>
      </form>
    </>
  );
}
