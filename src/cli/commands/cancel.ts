import { isFinished } from "../../engine/process-record.js";
import { parseArgs, parseProcessId, runCommand, UsageError, withEngine, writeJson } from "../options.js";

export const summary = "cancel a process (queued: at once; running: through its signal)";

const USAGE = `Usage: nightshift cancel ID [--json]
A SCHEDULED process is CANCELLED at once. A RUNNING one is asked to stop, wherever it runs
(a server or another 'nightshift run'), and ends CANCELLED.
`;

export default function cancelCommand(argv: string[]): Promise<number> {
  return runCommand("cancel", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {});
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError("one process id only");
    const id = parseProcessId(positionals[0]);
    return withEngine(flags, async (engine) => {
      const before = await engine.service.getProcess(id);
      const p = await engine.service.cancelProcess(id);
      if (flags.json) writeJson(p);
      else if (before && isFinished(before.status))
        process.stdout.write(`process ${id} already ended ${p.status}\n`);
      else if (p.status === "CANCELLED") process.stdout.write(`process ${id} CANCELLED\n`);
      else process.stdout.write(`process ${id}: cancel requested; it stops at its next check\n`);
      return 0;
    });
  });
}
