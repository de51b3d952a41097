/**
 * Which scripts, schedules and triggers use each service account, from the config: `scripts.<name>.account`,
 * `schedules.<name>.account` (or the schedule's script's binding), `triggers.<name>.account` (likewise).
 */
import type { NightshiftConfig } from "../config/config.js";

export interface Binding {
  readonly kind: "script" | "schedule" | "trigger";
  readonly name: string;
  readonly script: string;
  readonly account: string;
  /** The key path that names the account. */
  readonly key: string;
}

type Raw = Record<string, unknown>;
const isMap = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** The script a schedule or trigger runs, and the account it names (key path included). */
export function startersOf(config: NightshiftConfig) {
  const out: { kind: "schedule" | "trigger"; name: string; script?: string; account?: string }[] = [];
  for (const kind of ["schedules", "triggers"] as const) {
    const section = config.raw[kind];
    if (!isMap(section)) continue;
    for (const [name, entry] of Object.entries(section)) {
      if (!isMap(entry)) continue;
      out.push({
        kind: kind === "schedules" ? "schedule" : "trigger",
        name,
        script: str(entry.script),
        account: str(entry.account),
      });
    }
  }
  return out;
}

export function accountBindings(config: NightshiftConfig): Binding[] {
  const bound = (script: string) => str(config.scripts[script]?.account);
  const out: Binding[] = [];
  for (const [script, settings] of Object.entries(config.scripts)) {
    const account = str(settings.account);
    if (account)
      out.push({ kind: "script", name: script, script, account, key: `scripts.${script}.account` });
  }
  for (const s of startersOf(config)) {
    if (!s.script) continue;
    const section = s.kind === "schedule" ? "schedules" : "triggers";
    const account = s.account ?? bound(s.script);
    if (!account) continue;
    out.push({
      kind: s.kind,
      name: s.name,
      script: s.script,
      account,
      key: s.account ? `${section}.${s.name}.account` : `${section}.${s.name}`,
    });
  }
  return out;
}
