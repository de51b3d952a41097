/**
 * A new schedule (admin): name, script and its parameters (as the command line takes them), a cron builder
 * with a plain-language preview and the next 5 runs, time zone, overlap and catch-up. The server's refusals are
 * shown beside the field they name.
 */
import { type FormEvent, useMemo, useState } from "react";
import { ApiError, type FieldProblem } from "../../lib/api.ts";
import { describeCron, isTimeZone, nextRuns } from "../../lib/cron.ts";
import { formatTime } from "../../lib/format.ts";
import { usePoll } from "../../lib/hooks.ts";
import { navigate } from "../../lib/router.tsx";
import { createSchedule } from "../../lib/schedules.ts";
import { listScripts } from "../../lib/scripts.ts";
import type { Script, ScriptParameter } from "../../lib/types.ts";

type Frequency = "hourly" | "daily" | "weekly" | "monthly" | "custom";
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function cronOf(
  f: Frequency,
  time: string,
  weekday: number,
  monthDay: number,
  minute: number,
  custom: string,
) {
  const [h, m] = time.split(":").map(Number);
  switch (f) {
    case "hourly":
      return `${minute} * * * *`;
    case "daily":
      return `${m} ${h} * * *`;
    case "weekly":
      return `${m} ${h} * * ${weekday}`;
    case "monthly":
      return `${m} ${h} ${monthDay} * *`;
    default:
      return custom;
  }
}

/** The parameters as the command line takes them (a schedule keeps argv). */
function argsOf(script: Script, values: Record<string, string | boolean>): string[] {
  const args: string[] = [];
  for (const p of script.parameters) {
    const v = values[p.nameLong];
    if (p.type === "boolean") {
      const byDefault = p.defaultValue === true || p.defaultValue === "true";
      if (v === true && !byDefault) args.push(p.nameLong);
      if (v === false && byDefault) args.push(`--no-${p.nameLong.replace(/^--/, "")}`);
    } else if (typeof v === "string" && v !== "") args.push(p.nameLong, v);
  }
  return args;
}

export function NewSchedule() {
  const scripts = usePoll((s) => listScripts(s), null, []);
  const [name, setName] = useState("");
  const [scriptName, setScriptName] = useState("");
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [frequency, setFrequency] = useState<Frequency>("weekly");
  const [time, setTime] = useState("02:00");
  const [weekday, setWeekday] = useState(1);
  const [monthDay, setMonthDay] = useState(1);
  const [minute, setMinute] = useState(0);
  const [custom, setCustom] = useState("0 2 * * 1");
  const [timezone, setTimezone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  const [overlap, setOverlap] = useState("skip");
  const [catchUp, setCatchUp] = useState("skip");
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const script = scripts.data?.find((s) => s.name === scriptName);
  const cron = cronOf(frequency, time, weekday, monthDay, minute, custom);

  const preview = useMemo(() => {
    if (!isTimeZone(timezone)) return { error: `'${timezone}' is not a time zone (e.g. Europe/Berlin)` };
    try {
      return { text: describeCron(cron, timezone), next: nextRuns(cron, timezone, 5) };
    } catch (err) {
      return { error: (err as Error).message };
    }
  }, [cron, timezone]);

  // A parameter's problem comes as field `args` with the parameter named in the message: shown beside it.
  const names = (p: FieldProblem, f: string) =>
    p.parameter === f ||
    p.parameter.startsWith(`${f}.`) ||
    (p.parameter === "args" && f.startsWith("-") && p.message.includes(`'${f}'`));
  const problemFor = (...fields: string[]) => problems.filter((p) => fields.some((f) => names(p, f)));
  const known = [
    "name",
    "script",
    "cron",
    "timezone",
    "overlap",
    "catchUp",
    ...(script?.parameters ?? []).flatMap((p) => [p.name, p.nameLong]),
  ];
  const general = problems.filter((p) => !known.some((f) => names(p, f)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!script) return;
    setBusy(true);
    setProblems([]);
    try {
      await createSchedule({
        name,
        script: script.name,
        args: argsOf(script, values),
        cron,
        timezone,
        overlap,
        catchUp,
      });
      navigate("/schedules");
    } catch (err) {
      if (err instanceof ApiError)
        setProblems(err.errors.length ? [...err.errors] : [{ parameter: "", message: err.message }]);
      else setProblems([{ parameter: "", message: String(err) }]);
      setBusy(false);
    }
  };

  const errors = (id: string, ...fields: string[]) => {
    const found = problemFor(...fields);
    return found.length ? (
      <p className="field-error" id={id}>
        {found.map((p) => p.message).join("; ")}
      </p>
    ) : null;
  };
  const invalid = (...fields: string[]) => (problemFor(...fields).length ? true : undefined);

  return (
    <>
      <h1>New schedule</h1>
      <form className="param-form" onSubmit={submit} noValidate>
        {general.length > 0 && (
          <div className="error" role="alert">
            {general.map((p) => (
              <p key={p.message}>{p.message}</p>
            ))}
          </div>
        )}
        <div className="field">
          <label htmlFor="schedule-name">Name</label>
          <input
            id="schedule-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            aria-invalid={invalid("name")}
            aria-describedby="schedule-name-error"
          />
          {errors("schedule-name-error", "name")}
        </div>
        <div className="field">
          <label htmlFor="schedule-script">Script</label>
          <select
            id="schedule-script"
            value={scriptName}
            onChange={(e) => {
              setScriptName(e.target.value);
              setValues({});
            }}
            aria-invalid={invalid("script")}
            aria-describedby="schedule-script-error"
          >
            <option value="">(choose)</option>
            {scripts.data?.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
          {errors("schedule-script-error", "script")}
        </div>
        {script && (
          <fieldset className="field params">
            <legend>Parameters of {script.name}</legend>
            {script.parameters.map((p) => (
              <ParameterInput
                key={p.nameLong}
                p={p}
                value={values[p.nameLong]}
                onChange={(v) => setValues((all) => ({ ...all, [p.nameLong]: v }))}
                error={errors(`sp-${p.nameLong.replace(/^-+/, "")}-error`, p.nameLong, p.name)}
              />
            ))}
          </fieldset>
        )}
        <fieldset className="field">
          <legend>When</legend>
          <div className="filter-row">
            <div className="field">
              <label htmlFor="schedule-frequency">Repeat</label>
              <select
                id="schedule-frequency"
                value={frequency}
                onChange={(e) => setFrequency(e.target.value as Frequency)}
              >
                <option value="hourly">every hour</option>
                <option value="daily">every day</option>
                <option value="weekly">every week</option>
                <option value="monthly">every month</option>
                <option value="custom">cron expression</option>
              </select>
            </div>
            {frequency === "hourly" && (
              <div className="field">
                <label htmlFor="schedule-minute">At minute</label>
                <input
                  id="schedule-minute"
                  type="number"
                  min={0}
                  max={59}
                  value={minute}
                  onChange={(e) => setMinute(Number(e.target.value))}
                />
              </div>
            )}
            {frequency === "weekly" && (
              <div className="field">
                <label htmlFor="schedule-weekday">On</label>
                <select
                  id="schedule-weekday"
                  value={weekday}
                  onChange={(e) => setWeekday(Number(e.target.value))}
                >
                  {WEEKDAYS.map((d, i) => (
                    <option key={d} value={i}>
                      {d}
                    </option>
                  ))}
                </select>
              </div>
            )}
            {frequency === "monthly" && (
              <div className="field">
                <label htmlFor="schedule-monthday">On day</label>
                <input
                  id="schedule-monthday"
                  type="number"
                  min={1}
                  max={31}
                  value={monthDay}
                  onChange={(e) => setMonthDay(Number(e.target.value))}
                />
              </div>
            )}
            {(frequency === "daily" || frequency === "weekly" || frequency === "monthly") && (
              <div className="field">
                <label htmlFor="schedule-time">At</label>
                <input
                  id="schedule-time"
                  type="time"
                  value={time}
                  onChange={(e) => setTime(e.target.value || "00:00")}
                />
              </div>
            )}
            {frequency === "custom" && (
              <div className="field">
                <label htmlFor="schedule-cron">Cron (minute hour day month weekday)</label>
                <input
                  id="schedule-cron"
                  value={custom}
                  onChange={(e) => setCustom(e.target.value)}
                  aria-invalid={invalid("cron")}
                  aria-describedby="schedule-cron-error"
                />
              </div>
            )}
            <div className="field">
              <label htmlFor="schedule-timezone">Time zone</label>
              <input
                id="schedule-timezone"
                value={timezone}
                onChange={(e) => setTimezone(e.target.value)}
                aria-invalid={invalid("timezone")}
                aria-describedby="schedule-timezone-error"
              />
            </div>
          </div>
          {errors("schedule-cron-error", "cron")}
          {errors("schedule-timezone-error", "timezone")}
          <div className="cron-preview" aria-live="polite" data-testid="cron-preview">
            {"error" in preview ? (
              <p className="error">{preview.error}</p>
            ) : (
              <>
                <p>
                  <strong>{preview.text}</strong> <code>{cron}</code>
                </p>
                <p className="muted">Next 5 runs (your local time):</p>
                <ol className="compact">
                  {preview.next?.map((t) => (
                    <li key={t}>{formatTime(t, timezone)}</li>
                  ))}
                </ol>
              </>
            )}
          </div>
        </fieldset>
        <div className="filter-row">
          <div className="field">
            <label htmlFor="schedule-overlap">If the last run is still going</label>
            <select id="schedule-overlap" value={overlap} onChange={(e) => setOverlap(e.target.value)}>
              <option value="skip">skip this run</option>
              <option value="queue">queue this run</option>
              <option value="allow">run both</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="schedule-catchup">Runs missed while the server was down</label>
            <select id="schedule-catchup" value={catchUp} onChange={(e) => setCatchUp(e.target.value)}>
              <option value="skip">skip them</option>
              <option value="once">run once</option>
            </select>
          </div>
        </div>
        <button type="submit" disabled={busy || !script}>
          {busy ? "Saving…" : "Create schedule"}
        </button>
      </form>
    </>
  );
}

function ParameterInput({
  p,
  value,
  onChange,
  error,
}: {
  p: ScriptParameter;
  value: string | boolean | undefined;
  onChange: (v: string | boolean) => void;
  error: React.ReactNode;
}) {
  const id = `sp-${p.nameLong.replace(/^-+/, "")}`;
  const label = `${p.nameLong.replace(/^--/, "")}${p.mandatory ? " (required)" : ""}${p.type === "InputStream" ? " — a file path on the server" : ""}`;
  const describedBy =
    [p.description ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  const byDefault = p.defaultValue === true || p.defaultValue === "true";
  return (
    <div className={`field${p.type === "boolean" ? " field-check" : ""}`}>
      {p.type === "boolean" ? (
        <>
          <input
            id={id}
            type="checkbox"
            checked={value === undefined ? byDefault : value === true}
            onChange={(e) => onChange(e.target.checked)}
            aria-describedby={describedBy}
          />
          <label htmlFor={id}>{label}</label>
        </>
      ) : (
        <>
          <label htmlFor={id}>{label}</label>
          {p.values ? (
            <select
              id={id}
              value={String(value ?? p.defaultValue ?? "")}
              onChange={(e) => onChange(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={error ? true : undefined}
            >
              <option value="">(default)</option>
              {p.values.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={id}
              type={p.secret ? "password" : p.type === "Integer" ? "number" : "text"}
              autoComplete={p.secret ? "off" : undefined}
              value={String(value ?? "")}
              placeholder={p.defaultValue === undefined ? undefined : String(p.defaultValue)}
              onChange={(e) => onChange(e.target.value)}
              aria-describedby={describedBy}
              aria-invalid={error ? true : undefined}
            />
          )}
        </>
      )}
      {p.description && (
        <p className="help" id={`${id}-help`}>
          {p.description}
        </p>
      )}
      {error}
    </div>
  );
}
