/**
 * Which rules fire for a process that ended: the global `notify:` rules, the script's, and its schedule's or
 * trigger's, all together (a script's own rules add to the global default, they do not replace it). The
 * same channel and recipients are told once, whatever the number of rules that matched.
 */
import type { ProcessRow } from "../store/schema.js";
import type { NotifyConfig, Rule, When } from "./config.js";
import { type ProcessOutcome, processOutcome } from "./outcome.js";

/** The end of a process as the rules see it. */
export interface Ended {
  readonly status: ProcessRow["status"];
  readonly outcome: ProcessOutcome;
  /** A worker died under it. */
  readonly lost: boolean;
}

/** Whether `when` matches an ended process. `failed` includes lost processes (they are FAILED too). */
export function matches(when: When, ended: Ended): boolean {
  switch (when) {
    case "always":
      return true;
    case "failed":
      return ended.status === "FAILED";
    case "lost":
      return ended.lost;
    case "completed":
      return ended.status === "COMPLETED";
    case "problems":
      return ended.status === "COMPLETED" && ended.outcome !== "ok";
  }
}

/** Where a process came from, beyond its script: the schedule or trigger that started it. */
export interface Origin {
  readonly schedule?: string | null;
  readonly trigger?: string | null;
}

/** The rules that apply to a script's processes (and a schedule's or trigger's). */
export function rulesFor(config: NotifyConfig, script: string, origin: Origin = {}): Rule[] {
  return [
    ...config.global,
    ...(config.scripts[script] ?? []),
    ...(origin.schedule ? (config.schedules[origin.schedule] ?? []) : []),
    ...(origin.trigger ? (config.triggers[origin.trigger] ?? []) : []),
  ];
}

/** The rules that fire, one per channel and recipients (and digest or not): the first that matched. */
export function firingRules(
  config: NotifyConfig,
  row: ProcessRow,
  lost: boolean,
  origin: Origin = {},
): Rule[] {
  const ended: Ended = { status: row.status, outcome: processOutcome(row), lost };
  const seen = new Set<string>();
  const out: Rule[] = [];
  for (const rule of rulesFor(config, row.script, origin)) {
    if (!rule.when.some((w) => matches(w, ended))) continue;
    const key = JSON.stringify([rule.channel, rule.to ? [...rule.to].sort() : null, !!rule.digest]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(rule);
  }
  return out;
}
