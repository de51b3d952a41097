import type { ProcessStatus } from "../../store/schema.js";
import { parseArgs, runCommand, UsageError, withEngine, writeJson } from "../options.js";
import { processTable } from "../process-format.js";

export const summary = "list processes (filters: --status, --script, --user)";

const USAGE = `Usage: nightshift processes [--status S[,S]] [--script NAME] [--user ID] [--page N] [--size N] [--json]
Newest first. Statuses: SCHEDULED, RUNNING, COMPLETED, FAILED, CANCELLED.
`;

const STATUSES = new Set(["SCHEDULED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"]);

export default function processesCommand(argv: string[]): Promise<number> {
  return runCommand("processes", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {
      status: { type: "string", short: "s" },
      script: { type: "string" },
      user: { type: "string" },
      page: { type: "string" },
      size: { type: "string" },
    });
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const status = flags.status === undefined ? undefined : String(flags.status).toUpperCase().split(",");
    for (const s of status ?? []) if (!STATUSES.has(s)) throw new UsageError(`unknown status '${s}'`);
    const page = count(flags.page, "page", 1);
    const size = count(flags.size, "size", 50);
    return withEngine(flags, async (engine) => {
      const result = await engine.service.listProcesses({
        status: status as ProcessStatus[] | undefined,
        script: flags.script as string | undefined,
        userId: flags.user as string | undefined,
        page: page - 1,
        size,
      });
      if (flags.json) {
        writeJson(result);
        return 0;
      }
      if (result.items.length === 0) process.stdout.write("no processes\n");
      else process.stdout.write(processTable(result.items));
      if (result.total > result.items.length) {
        process.stdout.write(
          `page ${page} of ${Math.ceil(result.total / size)} (${result.total} processes)\n`,
        );
      }
      return 0;
    });
  });
}

function count(raw: string | boolean | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== "string" || !/^[1-9]\d*$/.test(raw))
    throw new UsageError(`--${name} must be a positive integer`);
  return Number(raw);
}
