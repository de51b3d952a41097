import { once } from "node:events";
import { resolve } from "node:path";
import type { Engine } from "../../engine/engine.js";
import { ProcessNotFoundError } from "../../engine/errors.js";
import { notificationLines, toNotificationRecord } from "../../notify/record.js";
import { listProcessNotifications } from "../../store/queries/notifications.js";
import { parseArgs, parseProcessId, runCommand, UsageError, withEngine, writeJson } from "../options.js";
import { fileTable, logLineJson, processDetails } from "../process-format.js";
import { resumable, resumeHint } from "../resume-hint.js";
import { saveFiles } from "../save-files.js";

export const summary = "show one process, its log (--log, --follow) and files (--files)";

const USAGE = `Usage: nightshift process ID [--log] [--follow] [--files] [--notifications] [--save DIR] [--json]
  --log      print the log (also while it runs)
  --follow   print the log as it is written, until the process ends (with --json: JSON Lines,
             {"time","level","message"} per log line, then the process)
  --files    list the process's files (type, name, size, SHA-256, where it is on disk)
  --notifications  its notifications: channel, recipients, status, attempts, last error
  --save DIR copy every file of the process (report.csv, summary.json, failures.*, outputs, its
             input and log) into DIR under its own name; DIR is created when missing
`;

export default function processCommand(argv: string[]): Promise<number> {
  return runCommand("process", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {
      log: { type: "boolean" },
      follow: { type: "boolean", short: "f" },
      files: { type: "boolean" },
      notifications: { type: "boolean" },
      save: { type: "string" },
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
      if (typeof flags.save === "string") {
        for (const line of await saveFiles(engine, id, flags.save, engine.config.dataDir))
          process.stdout.write(`${line}\n`);
        return 0;
      }
      // With --json too, each file's path is absolute, as in the table (the stored path is the data dir's).
      const files = flags.files
        ? (await engine.service.listFiles(id)).map((f) => ({
            ...f,
            path: resolve(engine.config.dataDir, f.path),
          }))
        : undefined;
      const notifications = flags.notifications
        ? (await listProcessNotifications(engine.store.db, id)).map(toNotificationRecord)
        : undefined;
      if (flags.json) {
        const log = flags.log ? (await engine.service.readLog(id)).text : undefined;
        writeJson({
          ...p,
          ...(files ? { files } : {}),
          ...(notifications ? { notifications } : {}),
          ...(log !== undefined ? { log } : {}),
        });
        return 0;
      }
      if (flags.log) await printLog(engine, id);
      if (files) process.stdout.write(fileTable(files, engine.config.dataDir));
      if (notifications) process.stdout.write(notificationLines(notifications));
      if (!flags.log && !files && !notifications)
        process.stdout.write(processDetails(p, resumeHint(p, resumable(engine.scripts, p.script))));
      return 0;
    });
  });
}

/** The log in 1 MiB steps, each written before the next is read: a log of any size, in little memory. */
async function printLog(engine: Engine, id: number): Promise<void> {
  for (let from = 0; ; ) {
    const chunk = await engine.service.readLog(id, { fromByte: from, maxBytes: 1024 * 1024 });
    if (chunk.nextByte === from) return;
    if (!process.stdout.write(chunk.text)) await once(process.stdout, "drain");
    from = chunk.nextByte;
  }
}
