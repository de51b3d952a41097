import { openSchedules, ScheduleError } from "../../schedule/index.js";
import { parseArgs, runCommand, UsageError, withEngine, writeJson } from "../options.js";
import { scheduleJson } from "./schedules.js";

export const summary = "add, enable, disable, remove or run a schedule; its next run times";

const USAGE = `Usage: nightshift schedule add NAME --script S --cron EXPR [--timezone TZ] [--account A | -A A]
                                [--overlap skip|queue|allow] [--catch-up skip|once] [--priority N]
                                [--disabled] -- <script args>
       nightshift schedule enable|disable|remove|run NAME
       nightshift schedule next NAME [--count N]
The script's arguments after '--' are checked as 'nightshift run' checks them (exit 2 when refused).
'run' starts the schedule's script once now (a running serve or worker runs it) and prints 'process <id>'.
'next' prints one ISO time per line. Config-defined schedules are changed in the config file only.
`;

const ADD_FLAGS = {
  script: { type: "string" },
  cron: { type: "string" },
  timezone: { type: "string" },
  account: { type: "string", short: "A" },
  overlap: { type: "string" },
  "catch-up": { type: "string" },
  priority: { type: "string" },
  disabled: { type: "boolean" },
  count: { type: "string" },
} as const;

export default function scheduleCommand(argv: string[]): Promise<number> {
  return runCommand("schedule", USAGE, async () => {
    const dash = argv.indexOf("--");
    const own = dash < 0 ? argv : argv.slice(0, dash);
    const scriptArgs = dash < 0 ? [] : argv.slice(dash + 1);
    const { flags, positionals } = parseArgs(own, ADD_FLAGS);
    if (flags.help || positionals.length === 0) {
      if (flags.help) {
        process.stdout.write(USAGE);
        return 0;
      }
      throw new UsageError("add, enable, disable, remove, run or next?");
    }
    const [action, name, ...extra] = positionals;
    if (!name) throw new UsageError(`which schedule? ('nightshift schedules' lists them)`);
    if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
    return withEngine(flags, async (engine) => {
      const schedules = openSchedules(engine).service;
      try {
        switch (action) {
          case "add": {
            const info = await schedules.create(name, addFields(flags, scriptArgs));
            if (flags.json) writeJson(scheduleJson(info));
            else process.stdout.write(`schedule ${name} added; next run ${info.nextRuns[0] ?? "-"}\n`);
            return 0;
          }
          case "enable":
          case "disable": {
            const info = await schedules.setEnabled(name, action === "enable");
            if (flags.json) writeJson(scheduleJson(info));
            else process.stdout.write(`schedule ${name} ${action}d\n`);
            return 0;
          }
          case "remove":
            await schedules.remove(name);
            if (!flags.json) process.stdout.write(`schedule ${name} removed\n`);
            return 0;
          case "run": {
            const p = await schedules.runNow(name);
            process.stdout.write(flags.json ? `${JSON.stringify(p)}\n` : `process ${p.id}\n`);
            return 0;
          }
          case "next": {
            const count = flags.count === undefined ? 5 : Number(flags.count);
            if (!Number.isInteger(count) || count < 1 || count > 1000)
              throw new UsageError("--count must be an integer from 1 to 1000");
            const times = await schedules.next(name, count);
            process.stdout.write(
              flags.json ? `${JSON.stringify(times)}\n` : times.map((t) => `${t}\n`).join(""),
            );
            return 0;
          }
          default:
            throw new UsageError(`unknown action '${action}' (add, enable, disable, remove, run, next)`);
        }
      } catch (err) {
        if (!(err instanceof ScheduleError)) throw err;
        for (const p of err.problems)
          process.stderr.write(`nightshift schedule: ${name}: ${p.field}: ${p.message}\n`);
        return 2;
      }
    });
  });
}

function addFields(flags: Record<string, string | boolean | undefined>, args: string[]) {
  if (flags.script === undefined) throw new UsageError("--script is needed");
  if (flags.cron === undefined) throw new UsageError("--cron is needed");
  const priority = flags.priority === undefined ? undefined : Number(flags.priority);
  if (priority !== undefined && !Number.isSafeInteger(priority))
    throw new UsageError("--priority must be an integer");
  return {
    script: flags.script,
    cron: flags.cron,
    args,
    ...(flags.timezone !== undefined ? { timezone: flags.timezone } : {}),
    ...(flags.account !== undefined ? { account: flags.account } : {}),
    ...(flags.overlap !== undefined ? { overlap: flags.overlap } : {}),
    ...(flags["catch-up"] !== undefined ? { catchUp: flags["catch-up"] } : {}),
    ...(priority !== undefined ? { priority } : {}),
    ...(flags.disabled ? { enabled: false } : {}),
  };
}
