import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { CreateProcessRequest } from "../../engine/create-process.js";
import type { Engine } from "../../engine/engine.js";
import { helpText, ParameterError, parseArgv } from "../../engine/parameters.js";
import { type ProcessRecord, statusText } from "../../engine/process-record.js";
import { loadScripts } from "../../engine/registry.js";
import { engineCourier } from "../../notify/index.js";
import { builtInScripts } from "../../scripts/index.js";
import { openHostEngine } from "../host-engine.js";
import { loadCliConfig, parseArgs, runCommand, UsageError } from "../options.js";
import { createProgressLine } from "../progress-line.js";
import { resumable, resumeCommand } from "../resume-hint.js";
import { secretArguments } from "../secret-arguments.js";

export const summary = "run a script in the foreground, recorded as a process";

const USAGE = `Usage: nightshift run [--json] [--data-dir DIR] [--config FILE] SCRIPT [parameters]
Prints 'process <id>' first, then the log (a progress bar on a terminal). Exits 0 when the process
COMPLETED (ok or with warnings), 3 when it COMPLETED with errors (items failed or unknown: see its
report.csv), 1 when it FAILED or was CANCELLED, 2 on refused parameters (no process is created).
Ctrl-C cancels it.
With --json, prints JSON Lines: the new process (with its id), then the process as it ended.
File parameters name local files; they are copied into the process. 'nightshift run SCRIPT --help'
shows the script's parameters.
`;

export default function runScriptCommand(argv: string[]): Promise<number> {
  return runCommand("run", USAGE, async () => {
    const parsed0 = parseArgs(argv, {}, true);
    const { positionals } = parsed0;
    // Global options may also follow the script's parameters (`run worldcat-fetch -i n.txt --data-dir d`).
    const { flags, rest } = takeGlobalOptions(parsed0.rest, parsed0.flags);
    if (positionals.length === 0) {
      if (flags.help) {
        process.stdout.write(USAGE);
        return 0;
      }
      throw new UsageError("which script? ('nightshift scripts' lists them)");
    }
    const config = await loadCliConfig(flags);
    const scripts = await loadScripts(config, builtInScripts);
    const script = scripts.get(positionals[0]);
    if (!script)
      throw new UsageError(`no script named '${positionals[0]}' ('nightshift scripts' lists them)`);
    const ownHelp = script.parameters.some((p) => p.name === "-h" || p.nameLong === "--help");
    if (!ownHelp && (rest.includes("--help") || rest.includes("-h"))) {
      process.stdout.write(`${helpText(script)}\n`);
      return 0;
    }
    let parsed: ReturnType<typeof parseArgv>;
    try {
      parsed = parseArgv(script, rest, {
        secretValue: secretArguments({ warn: (m) => process.stderr.write(`nightshift run: ${m}\n`) }),
      });
    } catch (err) {
      if (!(err instanceof ParameterError)) throw err;
      for (const p of err.problems) process.stderr.write(`nightshift run: ${p.message}\n`);
      return 2;
    }
    const missing = parsed.files.filter((f) => !existsSync(resolve(f)));
    if (missing.length) {
      for (const f of missing) {
        const param = parsed.recorded.find((r) => r.value === f)?.name;
        process.stderr.write(`nightshift run: ${param ? `${param}: ` : ""}file not found: ${f}\n`);
      }
      return 2;
    }
    const host = await openHostEngine(config, {
      scripts,
      sandbox: script.parameters.some((p) => p.nameLong === "--account"),
    });
    const { engine } = host;
    try {
      const end = await foreground(engine, script.name, parsed, Boolean(flags.json), "run", {
        listAccounts: true,
      });
      // Its notifications go out now if they can; what cannot is retried by serve or worker (the outbox).
      await engineCourier(engine)
        ?.deliverDue()
        .catch(() => undefined);
      return exitCode(end);
    } catch (err) {
      // Refused by the script's checks of its input before any process was created.
      if (!(err instanceof ParameterError)) throw err;
      for (const p of err.problems) process.stderr.write(`nightshift run: ${p.message}\n`);
      return 2;
    } finally {
      await host.close();
    }
  });
}

/** Creates the process, runs it here, prints its log; `nightshift resume` shares it (`request`). */
export async function foreground(
  engine: Engine,
  script: string,
  parsed: ReturnType<typeof parseArgv>,
  json: boolean,
  name = "run",
  request: Partial<CreateProcessRequest> = {},
): Promise<ProcessRecord> {
  const { events, service } = engine;
  const canResume = resumable(engine.scripts, script);
  // A crash found by this start's recovery (another process's worker died): say how to continue it.
  events.on("lease:expired", (e) => {
    void service.getProcess(e.processId).then((p) => {
      if (p && p.id !== request.resumedFrom && resumable(engine.scripts, p.script))
        process.stderr.write(
          `nightshift ${name}: process ${p.id} (${p.script}) lost its worker (a crash); to continue it: ${resumeCommand(p.id)}\n`,
        );
    });
  });
  const created = await service.createProcess({
    script,
    parameters: parsed,
    startedBy: { source: "cli" },
    uploads: parsed.files.map((f) => ({ name: f, path: resolve(f) })),
    ...request,
    reserve: true,
  });
  const id = created.id;
  // With --json, stdout is JSON Lines: the new process first (its id), then the process as it ended.
  process.stdout.write(json ? `${JSON.stringify(created)}\n` : `process ${id}\n`);
  const bar = !json && process.stderr.isTTY ? createProgressLine(process.stderr) : undefined;
  events.on("process:log", (l) => {
    if (l.processId !== id || json) return;
    bar?.clear();
    process.stdout.write(`${l.time} ${l.level} ${l.message}\n`);
    bar?.redraw();
  });
  events.on("process:progress", (p) => {
    if (p.processId === id) bar?.update(p.done, p.total);
  });
  const ended = new Promise<ProcessRecord>((resolveEnd) => {
    const end = ({ process: p }: { process: ProcessRecord }) => {
      if (p.id === id) resolveEnd(p);
    };
    events.on("process:finished", end);
    events.on("process:requeued", end);
  });
  let interrupts = 0;
  const onInterrupt = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write(
      `\nnightshift ${name}: cancelling process ${id} (Ctrl-C again to quit at once)${canResume ? `; to continue it later: ${resumeCommand(id)}` : ""}\n`,
    );
    void service.cancelProcess(id).catch(() => undefined);
  };
  process.on("SIGINT", onInterrupt);
  process.on("SIGTERM", onInterrupt);
  const dispatcher = engine.createDispatcher({ concurrency: 1, onlyIds: [id] });
  try {
    await dispatcher.start();
    const end = await ended;
    bar?.clear();
    if (json) process.stdout.write(`${JSON.stringify(end)}\n`);
    else
      process.stdout.write(
        `process ${id} ${statusText(end)}${end.exitMessage ? `: ${end.exitMessage}` : ""}\n`,
      );
    // Stopped by Ctrl-C before the end of its input: the command that continues it, last.
    if (interrupts > 0 && canResume && end.status !== "COMPLETED")
      process.stderr.write(`nightshift ${name}: to continue where it stopped: ${resumeCommand(id)}\n`);
    return end;
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onInterrupt);
    await dispatcher.stop();
  }
}

/**
 * 0: COMPLETED (ok, or with warnings); 3: COMPLETED with errors (items failed or unknown); 1: FAILED or
 * CANCELLED (the process itself did not finish). 2 (refused parameters) is returned before a process exists.
 */
export function exitCode(end: ProcessRecord): number {
  if (end.status !== "COMPLETED") return 1;
  return end.outcome === "errors" ? 3 : 0;
}

const GLOBAL_VALUED = new Set(["--data-dir", "--config"]);

/** Moves `--data-dir X`, `--config X` (or `=X`) and `--json` out of a script's arguments into the flags. */
function takeGlobalOptions(
  args: readonly string[],
  flags: Record<string, string | boolean | undefined>,
): { flags: Record<string, string | boolean | undefined>; rest: string[] } {
  const out = { ...flags };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    const eq = token.indexOf("=");
    const name = eq > 0 ? token.slice(0, eq) : token;
    if (token === "--json") out.json = true;
    else if (GLOBAL_VALUED.has(name) && eq > 0) out[name.slice(2)] = token.slice(eq + 1);
    else if (GLOBAL_VALUED.has(name) && i + 1 < args.length) out[name.slice(2)] = args[++i];
    else rest.push(token);
  }
  return { flags: out, rest };
}
