import { ProcessNotFoundError } from "../../engine/errors.js";
import { parseArgs, parseProcessId, runCommand, UsageError, withEngine, writeJson } from "../options.js";
import { fileTable, logLineJson, processDetails } from "../process-format.js";

export const summary = "show one process, its log (--log, --follow) and files (--files)";

const USAGE = `Usage: nightshift process ID [--log] [--follow] [--files] [--json]
  --log      print the log (also while it runs)
  --follow   print the log as it is written, until the process ends (with --json: JSON Lines,
             {"time","level","message"} per log line, then the process)
  --files    list the process's files (type, name, size, SHA-256, where it is on disk)
`;

export default function processCommand(argv: string[]): Promise<number> {
  return runCommand("process", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {
      log: { type: "boolean" },
      follow: { type: "boolean", short: "f" },
      files: { type: "boolean" },
    });
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError("one process id only");
    const id = parseProcessId(positionals[0]);
    return withEngine(flags, async (engine) => {
      const p = await engine.service.getProcess(id);
      if (!p) throw new ProcessNotFoundError(id);
      if (flags.follow) {
        const stop = new AbortController();
        process.once("SIGINT", () => stop.abort());
        // With --json, JSON Lines: one object per log line, then the process as it is at the end.
        for await (const line of engine.service.followLog(id, { signal: stop.signal })) {
          process.stdout.write(`${flags.json ? JSON.stringify(logLineJson(line)) : line}\n`);
        }
        const end = await engine.service.getProcess(id);
        if (flags.json) process.stdout.write(`${JSON.stringify(end)}\n`);
        return 0;
      }
      const files = flags.files ? await engine.service.listFiles(id) : undefined;
      const log = flags.log ? (await engine.service.readLog(id)).text : undefined;
      if (flags.json) {
        writeJson({ ...p, ...(files ? { files } : {}), ...(log !== undefined ? { log } : {}) });
        return 0;
      }
      if (log !== undefined) process.stdout.write(log);
      if (files) process.stdout.write(fileTable(files, engine.config.dataDir));
      if (log === undefined && !files) process.stdout.write(processDetails(p));
      return 0;
    });
  });
}
