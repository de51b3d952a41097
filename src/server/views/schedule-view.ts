/** A schedule as REST shows it (HAL): its definition, next runs, last process and state. */
import type { ScheduleInfo } from "../../schedule/index.js";

export function scheduleView(s: ScheduleInfo, origin: string) {
  const d = s.definition;
  const self = `${origin}/api/system/schedules/${encodeURIComponent(d.name)}`;
  return {
    id: d.name,
    type: "schedule",
    name: d.name,
    script: d.script,
    args: d.args,
    cron: d.cron,
    timezone: d.timezone,
    account: d.account ?? null,
    overlap: d.overlap,
    catchUp: d.catchUp,
    priority: d.priority,
    enabled: d.enabled,
    source: d.source,
    readOnly: s.readOnly,
    nextRuns: s.nextRuns,
    lastProcess: s.lastProcess,
    state: s.state,
    _links: {
      self: { href: self },
      run: { href: `${self}/run` },
      next: { href: `${self}/next` },
      script: { href: `${origin}/api/system/scripts/${encodeURIComponent(d.script)}` },
      ...(s.lastProcess
        ? { lastProcess: { href: `${origin}/api/system/processes/${s.lastProcess.id}` } }
        : {}),
    },
  };
}
