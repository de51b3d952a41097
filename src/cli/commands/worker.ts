import { parseArgs, runCommand, UsageError } from "../options.js";
import { host, parseConcurrency } from "./serve.js";

export const summary = "run queued processes (no REST API or web UI: a worker beside a server)";

const USAGE = `Usage: nightshift worker [--scripts A,B] [--concurrency N] [--data-dir DIR] [--config FILE]
Runs queued processes beside a server or another worker on the same data directory, or on any machine
sharing the PostgreSQL database (NIGHTSHIFT_DATABASE_URL).
--scripts A,B      run only processes of these scripts (a dedicated worker); default: every script
--concurrency N    processes run at once by this worker (default: the config's concurrency)
SIGTERM/SIGINT stop it gracefully (running processes are re-queued).
`;

export default function workerCommand(argv: string[]): Promise<number> {
  return runCommand("worker", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {
      scripts: { type: "string" },
      concurrency: { type: "string" },
    });
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    return host("worker", flags, {
      http: false,
      scripts: parseScriptList(flags.scripts),
      concurrency: parseConcurrency(flags.concurrency, 1),
    });
  });
}

/** `--scripts a,b`: the names, each once; which exist is checked once the scripts are loaded. */
function parseScriptList(raw: string | boolean | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const names = [
    ...new Set(
      String(raw)
        .split(",")
        .map((s) => s.trim()),
    ),
  ];
  if (names.some((n) => n === ""))
    throw new UsageError(`--scripts takes script names separated by commas, got '${raw}'`);
  return names;
}
