import { SecretRerunError } from "../../engine/errors.js";
import { ParameterError } from "../../engine/parameters.js";
import { loadScripts } from "../../engine/registry.js";
import { againRequest } from "../../engine/resume-request.js";
import { engineCourier } from "../../notify/index.js";
import { builtInScripts } from "../../scripts/index.js";
import { openHostEngine } from "../host-engine.js";
import { loadCliConfig, parseArgs, parseProcessId, runCommand, UsageError } from "../options.js";
import { exitCode, foreground } from "./run.js";

export const summary = "continue a stopped process where it stopped, with its own parameters and input";

const USAGE = `Usage: nightshift resume ID [--concurrency N] [--json] [--data-dir DIR] [--config FILE]
Runs process ID's script again in the foreground with the process's own parameters and input file,
continuing where it stopped (as 'run SCRIPT ... --resume ID' would): nothing it did is done again.
Refused (exit 2, no process created) when 'run --resume' would refuse it: a COMPLETED process, or
parameters that are no longer valid. --concurrency may change. Prints 'process <id>' first, then
the log; exits as 'run' does (0 ok, 3 COMPLETED with errors, 1 FAILED or CANCELLED).
`;

export default function resumeCommand(argv: string[]): Promise<number> {
  return runCommand("resume", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, { concurrency: { type: "string" } });
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError("one process id only");
    const id = parseProcessId(positionals[0]);
    const concurrency = flags.concurrency === undefined ? undefined : Number(flags.concurrency);
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0))
      throw new UsageError(`--concurrency must be a positive whole number (got '${flags.concurrency}')`);
    const config = await loadCliConfig(flags);
    const scripts = await loadScripts(config, builtInScripts);
    const host = await openHostEngine(config, { scripts });
    const { engine } = host;
    try {
      const again = await againRequest(
        { store: engine.store, scripts: engine.scripts, dataDir: engine.config.dataDir, files: engine.files },
        id,
        { resume: true, concurrency },
      );
      const end = await foreground(
        engine,
        again.script.name,
        again.parameters,
        Boolean(flags.json),
        "resume",
        {
          uploads: again.uploads,
          priority: again.priority,
          account: again.account,
          resumedFrom: again.resumedFrom,
        },
      );
      await engineCourier(engine)
        ?.deliverDue()
        .catch(() => undefined);
      return exitCode(end);
    } catch (err) {
      // Refused before any process was created: what `run --resume` refuses, or a secret not stored.
      if (err instanceof ParameterError) {
        for (const p of err.problems) process.stderr.write(`nightshift resume: ${p.message}\n`);
        return 2;
      }
      if (err instanceof SecretRerunError) {
        process.stderr.write(`nightshift resume: ${err.message}\n`);
        return 2;
      }
      throw err;
    } finally {
      await host.close();
    }
  });
}
