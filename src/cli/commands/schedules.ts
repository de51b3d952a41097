import { openSchedules, type ScheduleInfo } from "../../schedule/index.js";
import { parseArgs, runCommand, UsageError, withEngine, writeJson } from "../options.js";
import { table } from "../table.js";

export const summary = "list the schedules: cron, time zone, next run, last process";

const USAGE = `Usage: nightshift schedules [--json] [--data-dir DIR] [--config FILE]
Lists the schedules of the config file and those made with 'nightshift schedule add' or REST.
`;

export default function schedulesCommand(argv: string[]): Promise<number> {
  return runCommand("schedules", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {});
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return withEngine(flags, async (engine) => {
      const list = await openSchedules(engine).service.list();
      if (flags.json) writeJson(list.map(scheduleJson));
      else process.stdout.write(list.length ? scheduleTable(list) : "no schedules\n");
      return 0;
    });
  });
}

/** A schedule as `--json` prints it. */
export function scheduleJson(s: ScheduleInfo) {
  const d = s.definition;
  return {
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
    nextRun: s.nextRuns[0] ?? null,
    nextRuns: s.nextRuns,
    lastProcess: s.lastProcess,
    state: s.state,
  };
}

function scheduleTable(list: readonly ScheduleInfo[]): string {
  const rows = [["NAME", "SCRIPT", "CRON", "TIMEZONE", "ENABLED", "NEXT RUN", "LAST PROCESS"]];
  for (const s of list) {
    const d = s.definition;
    const last = s.lastProcess ? `${s.lastProcess.id} ${s.lastProcess.status}` : "-";
    rows.push([
      d.name + (s.readOnly ? " (config)" : d.source === "builtin" ? " (built in)" : ""),
      d.script,
      d.cron,
      d.timezone,
      d.enabled ? "yes" : "no",
      s.nextRuns[0] ?? "-",
      last,
    ]);
  }
  return table(rows);
}
