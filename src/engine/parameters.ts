/**
 * The one parameter parser behind every entry point: command-line argv and REST `properties`.
 * Everything is checked before a process exists; each problem names its parameter.
 *
 * ```ts
 * parseArgv(script, ["-f", "in.mrc", "--dry-run"]).values // { file: "in.mrc", dryRun: true, ... }
 * parseProperties(script, [{ name: "-f", value: "in.mrc" }])
 * ```
 */
import { nearest } from "../config/keys.js";
import { NightshiftError } from "../errors.js";
import type { ParameterDefinition, ParamValues, ScriptDefinition } from "./script.js";

export interface ParameterProblem {
  readonly parameter: string;
  readonly message: string;
}

export interface ParsedParameters {
  /** Typed values keyed by camelCase long name, defaults applied. */
  readonly values: ParamValues;
  /** As recorded on the process: long names, string values, secrets masked. */
  readonly recorded: readonly { name: string; value: string }[];
  /**
   * As sent (the REST `properties`, the argv): each name as written (`-d`, `--no-dry-run`) and its value as
   * written, null for a flag given without one; secrets masked. What a process echoes back (DSpace does).
   */
  readonly sent: readonly SentParameter[];
  /** Values of `file` parameters: the uploaded files' names. */
  readonly files: readonly string[];
}

export const SECRET_MASK = "********";

/** One parameter as it was sent: a value is a string (argv) or whatever JSON scalar REST was given. */
export interface SentParameter {
  readonly name: string;
  readonly value: string | number | boolean | null;
}

export class ParameterError extends NightshiftError {
  constructor(
    readonly script: string,
    readonly problems: readonly ParameterProblem[],
  ) {
    super(
      `invalid parameters for script '${script}': ${problems.map((p) => p.message).join("; ")}`,
      "INVALID_PARAMETERS",
    );
  }
}

/** `--holding-code` -> `holdingCode`: the key of a parameter in `ctx.params`. */
export function paramKey(p: ParameterDefinition): string {
  return p.nameLong.replace(/^-+/, "").replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const TRUE = new Set(["true", "yes", "1", "on"]);
const FALSE = new Set(["false", "no", "0", "off"]);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** ` (did you mean \`--action\`?)` when `written` is a slip of one of `known`, else "". */
function didYouMean(written: string, known: readonly string[]): string {
  const near = nearest(written, known);
  return near ? ` (did you mean \`${near}\`?)` : "";
}

/** The nearest long name for a mistyped parameter (`--acton`, `-action`). */
function unknownHint(script: ScriptDefinition, name: string): string {
  // `--no-count` for a parameter that is not a flag: the parameter is known, only its negation is not.
  if (name.startsWith("--no-") && lookup(script, `--${name.slice(5)}`)) return "";
  const written = name.startsWith("--") ? name : `-${name}`;
  return didYouMean(
    written,
    script.parameters.map((p) => p.nameLong),
  );
}

function label(p: ParameterDefinition): string {
  return `'${p.nameLong}' (${p.name})`;
}

/** Converts one raw value to its type, or returns a problem. */
function convert(
  p: ParameterDefinition,
  raw: string,
): { value: string | number | boolean } | ParameterProblem {
  const bad = (what: string): ParameterProblem => ({
    parameter: p.nameLong,
    message: `parameter ${label(p)} must be ${what}, got '${p.secret ? SECRET_MASK : raw}'`,
  });
  switch (p.type) {
    case "integer":
      return /^-?\d+$/.test(raw.trim()) && Number.isSafeInteger(Number(raw))
        ? { value: Number(raw) }
        : bad("an integer");
    case "boolean": {
      const v = raw.trim().toLowerCase();
      if (TRUE.has(v)) return { value: true };
      if (FALSE.has(v)) return { value: false };
      return bad("true or false");
    }
    case "date": {
      const v = raw.trim();
      if (!ISO_DATE.test(v) || !isRealDate(v)) {
        return bad("a date (YYYY-MM-DD or ISO 8601 date-time)");
      }
      return { value: v };
    }
    case "enum": {
      if (p.values?.includes(raw)) return { value: raw };
      const problem = bad(`one of ${(p.values ?? []).join(", ")}`);
      return { ...problem, message: problem.message + didYouMean(raw, p.values ?? []) };
    }
    case "file":
    case "output":
      if (raw.trim() === "") return bad("a file name");
      return { value: raw };
    default:
      return { value: raw };
  }
}

/**
 * The date exists: Date.parse rolls 2024-02-30 over to March 1st and reads hour 24, so the calendar fields
 * are checked as written.
 */
function isRealDate(v: string): boolean {
  if (Number.isNaN(Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v))) return false;
  const [y, m, d] = v.slice(0, 10).split("-").map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const time = /[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(v);
  const inRange = !time || (Number(time[1]) < 24 && Number(time[2]) < 60 && Number(time[3] ?? 0) < 60);
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d && inRange;
}

interface RawArgument {
  readonly param: ParameterDefinition;
  readonly raw: string | undefined;
  readonly negated?: boolean;
  /** The name and value as written (before any secret reference was resolved). */
  readonly sent: SentParameter;
}

/** Builds the result from (parameter, raw value) pairs; shared by argv and properties. */
function finish(
  script: ScriptDefinition,
  args: RawArgument[],
  problems: ParameterProblem[],
): ParsedParameters {
  const seen = new Set<ParameterDefinition>();
  const values: Record<string, string | number | boolean | undefined> = {};
  const recorded: { name: string; value: string }[] = [];
  const sent: SentParameter[] = [];
  const files: string[] = [];
  for (const { param, raw, negated, sent: asSent } of args) {
    if (seen.has(param)) {
      problems.push({
        parameter: param.nameLong,
        message: `parameter ${label(param)} is given more than once`,
      });
      continue;
    }
    seen.add(param);
    let value: string | number | boolean;
    if (param.type === "boolean" && (raw === undefined || raw === "")) {
      value = !negated;
    } else if (raw === undefined) {
      problems.push({ parameter: param.nameLong, message: `parameter ${label(param)} needs a value` });
      continue;
    } else {
      const c = convert(param, raw);
      if (!("value" in c)) {
        problems.push(c);
        continue;
      }
      // `--no-x` with a value says whether to negate: `--no-dry-run=true` is `--dry-run=false`.
      value = negated ? !c.value : c.value;
    }
    values[paramKey(param)] = value;
    recorded.push({ name: param.nameLong, value: param.secret ? SECRET_MASK : String(value) });
    sent.push(param.secret && asSent.value !== null ? { name: asSent.name, value: SECRET_MASK } : asSent);
    if (param.type === "file") files.push(String(value));
  }
  for (const p of script.parameters) {
    if (seen.has(p)) continue;
    if (p.required && p.default === undefined) {
      problems.push({ parameter: p.nameLong, message: `missing required parameter ${label(p)}` });
    } else if (p.default !== undefined) {
      values[paramKey(p)] = p.default;
    } else if (p.type === "boolean") {
      values[paramKey(p)] = false;
    }
  }
  if (problems.length > 0) throw new ParameterError(script.name, problems);
  return {
    values: Object.freeze(values),
    recorded: Object.freeze(recorded),
    sent: Object.freeze(sent),
    files: Object.freeze(files),
  };
}

function lookup(script: ScriptDefinition, name: string): ParameterDefinition | undefined {
  return script.parameters.find((p) => p.name === name || p.nameLong === name || p.aliases?.includes(name));
}

/** Parses command-line arguments: `-f x`, `--file x`, `--file=x`, bare booleans, `--no-x`. */
export interface ArgvOptions {
  /**
   * Turns what was written for a secret parameter into its value (the CLI reads `env:NAME` and `file:PATH`,
   * so the secret stays out of the process list); a throw becomes a problem of that parameter.
   */
  readonly secretValue?: (param: ParameterDefinition, written: string) => string;
}

export function parseArgv(
  script: ScriptDefinition,
  argv: readonly string[],
  options: ArgvOptions = {},
): ParsedParameters {
  const args: RawArgument[] = [];
  const problems: ParameterProblem[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith("-") || token === "-") {
      problems.push({
        parameter: token,
        message: `unexpected argument '${token}' (parameters start with - or --)`,
      });
      continue;
    }
    const eq = token.indexOf("=");
    const name = eq > 0 ? token.slice(0, eq) : token;
    const inline = eq > 0 ? token.slice(eq + 1) : undefined;
    const param = lookup(script, name);
    if (!param && name.startsWith("--no-")) {
      const positive = lookup(script, `--${name.slice(5)}`);
      if (positive?.type === "boolean") {
        args.push({ param: positive, raw: inline, negated: true, sent: { name, value: inline ?? null } });
        continue;
      }
    }
    if (!param) {
      problems.push({ parameter: name, message: `unknown parameter '${name}'${unknownHint(script, name)}` });
      // Its value (a mistyped --pasword hunter2) is not echoed back as an "unexpected argument".
      if (inline === undefined && argv[i + 1] !== undefined && !argv[i + 1].startsWith("-")) i++;
      continue;
    }
    const take = (raw: string | undefined) => args.push({ param, raw, sent: { name, value: raw ?? null } });
    if (inline !== undefined) {
      take(inline);
    } else if (param.type === "boolean") {
      // A bare boolean is true; an explicit following true/false is read as its value.
      const next = argv[i + 1]?.toLowerCase();
      if (next !== undefined && (TRUE.has(next) || FALSE.has(next))) {
        take(argv[++i]);
      } else {
        take(undefined);
      }
    } else if (i + 1 < argv.length && !(argv[i + 1].startsWith("-") && lookupLike(script, argv[i + 1]))) {
      take(argv[++i]);
    } else {
      take(undefined);
    }
  }
  if (options.secretValue) {
    for (const [i, arg] of args.entries()) {
      if (!arg.param.secret || arg.raw === undefined) continue;
      try {
        args[i] = { ...arg, raw: options.secretValue(arg.param, arg.raw) };
      } catch (err) {
        problems.push({ parameter: arg.param.nameLong ?? arg.param.name, message: (err as Error).message });
      }
    }
  }
  return finish(script, args, problems);
}

/** True when a token looks like one of the script's parameter names (so it is not taken as a value). */
function lookupLike(script: ScriptDefinition, token: string): boolean {
  const name = token.includes("=") ? token.slice(0, token.indexOf("=")) : token;
  return lookup(script, name) !== undefined || name.startsWith("--");
}

/** Parses REST `properties`: `[{"name":"-f","value":"x"}]`, short or long names. */
export function parseProperties(script: ScriptDefinition, properties: unknown): ParsedParameters {
  const problems: ParameterProblem[] = [];
  const args: RawArgument[] = [];
  if (!Array.isArray(properties)) {
    throw new ParameterError(script.name, [
      { parameter: "properties", message: "properties must be a JSON array of {name, value} objects" },
    ]);
  }
  properties.forEach((entry, index) => {
    const name = (entry as { name?: unknown } | null)?.name;
    const value = (entry as { value?: unknown } | null)?.value;
    if (typeof name !== "string") {
      problems.push({
        parameter: `properties[${index}]`,
        message: `properties[${index}] has no string 'name'`,
      });
      return;
    }
    let param = lookup(script, name);
    let negated = false;
    if (!param && name.startsWith("--no-")) {
      const positive = lookup(script, `--${name.slice(5)}`);
      if (positive?.type === "boolean") {
        param = positive;
        negated = true;
      }
    }
    if (!param) {
      // A name written `--x=value` names the parameter only up to "=": the value is never echoed.
      const shown = name.includes("=") ? `${name.slice(0, name.indexOf("="))}=...` : name;
      problems.push({
        parameter: shown,
        message: `unknown parameter '${shown}'${unknownHint(script, shown)}`,
      });
      return;
    }
    if (
      value !== undefined &&
      value !== null &&
      typeof value !== "string" &&
      typeof value !== "number" &&
      typeof value !== "boolean"
    ) {
      problems.push({
        parameter: param.nameLong,
        message: `parameter ${label(param)} must have a string value`,
      });
      return;
    }
    args.push({
      param,
      raw: value === undefined || value === null ? undefined : String(value),
      negated,
      sent: { name, value: value ?? null },
    });
  });
  return finish(script, args, problems);
}

/** Generated help text for a script. */
export function helpText(script: ScriptDefinition): string {
  const lines = [`${script.name} — ${script.description}`, "", "Parameters:"];
  for (const p of script.parameters) {
    const arg = p.type === "boolean" ? "" : ` <${p.type === "enum" ? (p.values ?? []).join("|") : p.type}>`;
    const flags = `${p.name}, ${p.nameLong}${arg}`;
    const extra = [
      p.required ? "required" : undefined,
      p.default !== undefined && !p.secret ? `default: ${p.default}` : undefined,
      p.secret ? "secret" : undefined,
    ].filter(Boolean);
    const text = `${p.description}${extra.length ? ` (${extra.join("; ")})` : ""}`;
    // Long flags (enums) get their description on the next line, aligned, instead of running into it.
    if (flags.length > 34) lines.push(`  ${flags}`, `  ${" ".repeat(34)} ${text}`);
    else lines.push(`  ${flags.padEnd(34)} ${text}`);
  }
  if (script.parameters.length === 0) lines.push("  (none)");
  return lines.join("\n");
}
