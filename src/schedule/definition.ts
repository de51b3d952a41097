/**
 * A schedule: cron expression + time zone + script + parameters + service account + overlap and catch-up
 * policies. Checked the same way wherever it comes from (config file, REST, CLI): the parameters with the
 * one parser `run` uses, so a schedule that `run` would refuse is refused when it is made, naming the field
 * and the parameter.
 */
import { ParameterError, type ParsedParameters, paramKey, parseArgv } from "../engine/parameters.js";
import type { ScriptRegistry } from "../engine/registry.js";
import { NightshiftError } from "../errors.js";
import { CronError, type CronSchedule, compileCron } from "./cron.js";
import { serverTimeZone } from "./zone.js";

export const OVERLAPS = ["skip", "queue", "allow"] as const;
export const CATCH_UPS = ["skip", "once"] as const;
export type Overlap = (typeof OVERLAPS)[number];
export type CatchUp = (typeof CATCH_UPS)[number];

export interface ScheduleDefinition {
  readonly name: string;
  readonly script: string;
  /** The script's argv, as on the command line after the script's name. */
  readonly args: readonly string[];
  readonly cron: string;
  readonly timezone: string;
  readonly account?: string;
  readonly overlap: Overlap;
  readonly catchUp: CatchUp;
  /** Lower runs first (as processes' priority); default 0. */
  readonly priority: number;
  readonly enabled: boolean;
  /**
   * `config`: defined in the config file, read-only through the API; `builtin`: Nightshift's own default
   * (the nightly `retention`), stored as an `api` schedule once changed; `api`: made with the CLI or REST.
   */
  readonly source: "config" | "api" | "builtin";
}

/** A checked schedule: its definition, its slots, and its parsed parameters. */
export interface Schedule {
  readonly definition: ScheduleDefinition;
  readonly cron: CronSchedule;
  readonly parameters: ParsedParameters;
}

/** One thing wrong with a schedule: the field (`cron`, `args`, ...) and, for parameters, which one. */
export interface ScheduleProblem {
  readonly field: string;
  readonly message: string;
}

export class ScheduleError extends NightshiftError {
  constructor(
    readonly schedule: string,
    readonly problems: readonly ScheduleProblem[],
  ) {
    super(
      `schedule '${schedule}': ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`,
      "INVALID_SCHEDULE",
    );
  }
}

export const SCHEDULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The fields a schedule is written with (config keys, REST body). */
export const SCHEDULE_KEYS = [
  "script",
  "args",
  "cron",
  "timezone",
  "account",
  "overlap",
  "catchUp",
  "priority",
  "enabled",
] as const;

/**
 * Checks raw fields (a config entry or a REST body) and returns the schedule, or throws a ScheduleError
 * listing every problem. `extraKeys` are accepted and left alone (sections other layers add, e.g. notify).
 */
export function checkSchedule(
  name: string,
  raw: unknown,
  scripts: ScriptRegistry,
  source: ScheduleDefinition["source"],
  extraKeys: readonly string[] = [],
): Schedule {
  const problems: ScheduleProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ field, message });
  if (!SCHEDULE_NAME.test(name))
    bad("name", `'${name}' is not a schedule name (letters, digits, '.', '_', '-'; at most 100)`);
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new ScheduleError(name, [{ field: "schedule", message: "must be a mapping of settings" }]);
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!(SCHEDULE_KEYS as readonly string[]).includes(key) && !extraKeys.includes(key))
      bad(key, `unknown setting (known: ${SCHEDULE_KEYS.join(", ")})`);
  }
  const text = (field: string, required: boolean): string | undefined => {
    const v = r[field];
    if (v === undefined || v === null) {
      if (required) bad(field, "is required");
      return undefined;
    }
    if (typeof v !== "string" || v.trim() === "") {
      bad(field, `must be a non-empty string, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  };
  const scriptName = text("script", true);
  const cronText = text("cron", true);
  const timezone = text("timezone", false) ?? serverTimeZone();
  const account = text("account", false);
  const oneOf = <T extends string>(field: string, allowed: readonly T[], fallback: T): T => {
    const v = r[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
    bad(field, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(v)}`);
    return fallback;
  };
  const overlap = oneOf("overlap", OVERLAPS, "skip");
  const catchUp = oneOf("catchUp", CATCH_UPS, "skip");
  let priority = 0;
  if (r.priority !== undefined && r.priority !== null) {
    if (typeof r.priority === "number" && Number.isSafeInteger(r.priority)) priority = r.priority;
    else bad("priority", `must be an integer, got ${JSON.stringify(r.priority)}`);
  }
  let enabled = true;
  if (r.enabled !== undefined && r.enabled !== null) {
    if (typeof r.enabled === "boolean") enabled = r.enabled;
    else bad("enabled", `must be true or false, got ${JSON.stringify(r.enabled)}`);
  }
  let args: string[] = [];
  if (r.args !== undefined && r.args !== null) {
    if (Array.isArray(r.args) && r.args.every((a) => typeof a === "string" || typeof a === "number"))
      args = r.args.map(String);
    else bad("args", "must be a list of strings (the script's argv, as on the command line)");
  }
  let cron: CronSchedule | undefined;
  if (cronText) {
    try {
      cron = compileCron(cronText, timezone);
    } catch (err) {
      if (!(err instanceof CronError)) throw err;
      bad(err.field, err.message);
    }
  }
  let parameters: ParsedParameters | undefined;
  const script = scriptName === undefined ? undefined : scripts.get(scriptName);
  if (scriptName !== undefined && !script) bad("script", `no script named '${scriptName}'`);
  if (script) {
    try {
      parameters = parseArgv(script, args);
    } catch (err) {
      if (!(err instanceof ParameterError)) throw err;
      for (const p of err.problems) bad("args", p.message);
    }
    if (
      parameters &&
      script.parameters.some((p) => p.secret && parameters?.values[paramKey(p)] !== undefined)
    )
      bad("args", "secret parameters cannot be scheduled (their values live only in memory)");
  }
  if (problems.length || !cron || !parameters || !script || !cronText)
    throw new ScheduleError(name, problems);
  return Object.freeze({
    definition: Object.freeze({
      name,
      script: script.name,
      args: Object.freeze(args),
      cron: cronText,
      timezone,
      ...(account ? { account } : {}),
      overlap,
      catchUp,
      priority,
      enabled,
      source,
    }),
    cron,
    parameters,
  });
}
