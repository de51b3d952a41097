import { parseArgs, runCommand, UsageError } from "../options.js";
import { host } from "./serve.js";

export const summary = "run queued processes (dispatcher only, no HTTP)";

const USAGE = `Usage: nightshift worker [--data-dir DIR] [--config FILE]
Runs queued processes beside a server or another worker on the same data directory.
SIGTERM/SIGINT stop it gracefully (running processes are re-queued).
`;

export default function workerCommand(argv: string[]): Promise<number> {
  return runCommand("worker", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {});
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return host("worker", flags, { http: false });
  });
}
