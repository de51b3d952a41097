import type { NightshiftConfig } from "../../config/config.js";
import { formatFinding, runDoctor } from "../../doctor/index.js";
import type { Engine } from "../../engine/engine.js";
import { onShutdownSignals } from "../../engine/shutdown.js";
import { NightshiftError } from "../../errors.js";
import { engineCourier } from "../../notify/index.js";
import { openSchedules } from "../../schedule/index.js";
import { configTriggers, type TriggerDefinition } from "../../trigger/definition.js";
import { createFolderWatcher } from "../../trigger/folder.js";
import { openHostEngine } from "../host-engine.js";
import { createLineOut, type LineOut } from "../line-out.js";
import { loadCliConfig, type ParsedArgs, parseArgs, runCommand, UsageError } from "../options.js";
import { resumable, resumeCommand } from "../resume-hint.js";

export const summary = "run the server: the REST API and web UI, and the queued processes";

const USAGE = `Usage: nightshift serve [--port N] [--concurrency N] [--data-dir DIR] [--config FILE]
Runs queued processes (the dispatcher) and serves the REST API. --concurrency 0 serves the API only
(no processes run here: a server in front of workers). SIGTERM/SIGINT stop it gracefully:
running processes are asked to stop, get a grace period to checkpoint, and are re-queued to resume
after restart.
`;

/** What the REST layer gives back when mounted. */
export interface HttpServerHandle {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * ===== HOOK: the REST server =====
 * The one place the HTTP layer is mounted. src/server/ provides
 * `startHttpServer({ engine, config }): Promise<HttpServerHandle>`; until it exists, serve runs the
 * dispatcher alone and says so.
 */
async function mountHttpServer(
  engine: Engine,
  config: NightshiftConfig,
  ready: () => boolean,
  accountEnv: NodeJS.ProcessEnv,
): Promise<HttpServerHandle | undefined> {
  const modulePath = "../../server/index.js";
  let mod: {
    startHttpServer?: (o: {
      engine: Engine;
      config: NightshiftConfig;
      ready: () => boolean;
      accountEnv: NodeJS.ProcessEnv;
    }) => Promise<HttpServerHandle>;
  };
  try {
    mod = await import(modulePath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw err;
  }
  return mod.startHttpServer?.({ engine, config, ready, accountEnv });
}

export default function serveCommand(argv: string[]): Promise<number> {
  return runCommand("serve", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {
      port: { type: "string", short: "p" },
      concurrency: { type: "string" },
    });
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const port = flags.port === undefined ? undefined : Number(flags.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new UsageError(`--port must be a TCP port, got '${flags.port}'`);
    }
    return host("serve", flags, { http: true, port, concurrency: parseConcurrency(flags.concurrency, 0) });
  });
}

/** `--concurrency N`: a whole number from `min`; undefined when not given (the config's then). */
export function parseConcurrency(raw: string | boolean | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== "string" || !/^\d+$/.test(raw) || n < min || n > 1000)
    throw new UsageError(`--concurrency must be a whole number from ${min} to 1000, got '${raw}'`);
  return n;
}

/** Runs a dispatcher (and, for serve, the HTTP server) until SIGTERM/SIGINT; shared with `worker`. */
export async function host(
  name: string,
  flags: ParsedArgs["flags"],
  options: {
    http: boolean;
    port?: number;
    /** Processes run at once here (over the config's); 0: none (a serve for the API only). */
    concurrency?: number;
    /** Run only processes of these scripts (a dedicated worker). */
    scripts?: readonly string[];
  },
): Promise<number> {
  const config = await loadCliConfig(flags, { port: options.port });
  // The doctor's errors (secrets readable by others, unknown scripts or accounts, ...) stop the start.
  const errors = (await runDoctor(config)).filter((f) => f.severity === "error");
  if (errors.length) {
    for (const f of errors) process.stderr.write(`nightshift ${name}: ${formatFinding(f)}; fix: ${f.fix}\n`);
    throw new NightshiftError(
      `refusing to start: ${errors.length} error${errors.length === 1 ? "" : "s"} in the configuration (see nightshift doctor)`,
    );
  }
  const host = await openHostEngine(config, { shareSandbox: options.http });
  const { engine } = host;
  const say = flags.json === true ? sayJson : sayText;
  subscribe(engine, say);
  const unknown = options.scripts?.filter((s) => !engine.scripts.get(s)) ?? [];
  if (unknown.length) {
    await host.close();
    throw new UsageError(
      `--scripts: no script named ${unknown.map((s) => `'${s}'`).join(", ")} ('nightshift scripts' lists them)`,
    );
  }
  const concurrency = options.concurrency ?? config.concurrency;
  // --concurrency 0: an API-only server; it claims nothing, and is ready as soon as it listens.
  const dispatcher =
    concurrency > 0 ? engine.createDispatcher({ concurrency, scripts: options.scripts }) : undefined;
  // Delivers the notification outbox (any running instance does; each notification is claimed once).
  const courier = engineCourier(engine);
  // Any serve or worker fires schedules; the firing ledger makes each slot fire once among them all.
  let schedules: ReturnType<typeof openSchedules>;
  let triggers: TriggerDefinition[];
  try {
    // a bad `schedules:` or `triggers:` entry stops the start, naming file:line
    schedules = openSchedules(engine);
    triggers = configTriggers(engine.config, engine.scripts);
  } catch (err) {
    await host.close();
    throw err;
  }
  const scheduler = schedules.createScheduler({
    onSlot: (schedule, slot, result) => {
      if (result.kind === "taken") return;
      const what = result.kind === "fired" ? `fired: process ${result.process.id}` : result.kind;
      say(`schedule ${schedule} slot ${slot} ${what}`, {
        event: "schedule:slot",
        schedule,
        slot,
        kind: result.kind,
        ...(result.kind === "fired" ? { processId: result.process.id } : {}),
      });
    },
  });
  // Inbox folders: each file starts one process, whichever instance sees it first.
  const folders = triggers
    .filter((t) => t.folder)
    .map((t) =>
      createFolderWatcher(engine, t, {
        onFile: (file, what) =>
          say(`trigger ${t.name}: ${file}: ${what}`, { event: "trigger:file", trigger: t.name, file, what }),
      }),
    );
  let http: HttpServerHandle | undefined;
  let startup: Promise<unknown> = Promise.resolve();
  // Signals are handled from the moment work can start; one that comes during start-up waits for it to finish,
  // so nothing is left half-open.
  const stopped = new Promise<void>((resolve) => {
    const off = onShutdownSignals(async () => {
      await startup.catch(() => undefined);
      await http?.close();
      await scheduler.stop();
      await Promise.all(folders.map((f) => f.stop()));
      await dispatcher?.stop();
      await courier?.stop();
      await host.close();
      off();
      say(`nightshift ${name}: stopped`, { event: "stopped" });
      resolve();
    }, say);
  });
  startup = (async () => {
    await dispatcher?.start();
    courier?.start();
    scheduler.start();
    for (const f of folders) f.start();
    say(
      `nightshift ${name}: worker ${engine.workerId}, data dir ${config.dataDir}, concurrency ${concurrency}, ` +
        `heartbeat ${config.heartbeatMs} ms, lease ${config.leaseMs} ms, scripts: ${
          options.scripts ? options.scripts.join(",") : engine.scripts.list().length
        }`,
      {
        event: "started",
        workerId: engine.workerId,
        dataDir: config.dataDir,
        concurrency,
        ...(options.scripts ? { scripts: options.scripts } : {}),
      },
    );
    if (host.sandboxUrl)
      say(`WorldCat sandbox for account 'sandbox' [SANDBOX]: ${host.sandboxUrl}`, {
        event: "sandbox",
        url: host.sandboxUrl,
      });
    // What the sandbox holds, so a newcomer need not probe it: made from its seed data (src/sandbox/guide.ts).
    if (host.sandboxGuide) {
      if (flags.json === true) say("sandbox guide", { event: "sandbox-guide", lines: host.sandboxGuide });
      else say(host.sandboxGuide.join("\n"));
    }
    const ready = dispatcher ? dispatcher.accepting : () => true;
    http = options.http ? await mountHttpServer(engine, engine.config, ready, host.accountEnv) : undefined;
    if (http) say(`listening on ${http.url}`, { event: "listening", url: http.url });
    else if (options.http)
      say(`listening: REST API not available in this build (port ${config.port} unused)`);
  })();
  try {
    await startup;
  } catch (err) {
    // e.g. the port is taken: stop what did start, then report
    await scheduler.stop().catch(() => undefined);
    await Promise.all(folders.map((f) => f.stop().catch(() => undefined)));
    await dispatcher?.stop().catch(() => undefined);
    await courier?.stop().catch(() => undefined);
    await host.close().catch(() => undefined);
    throw err;
  }
  await stopped;
  return 0;
}

/** One line of what serve and worker tell: text, or with `--json` one JSON object per line. */
type Say = (message: string, fields?: Record<string, unknown>) => void;

// Batched: a busy worker says two lines per process (see line-out.ts).
let stdout: LineOut | undefined;
const out = (text: string) => {
  stdout ??= createLineOut((t) => process.stdout.write(t));
  stdout.write(text);
};

const sayText: Say = (message) => out(`${new Date().toISOString()} ${message}\n`);

const sayJson: Say = (message, fields = {}) =>
  out(`${JSON.stringify({ time: new Date().toISOString(), ...fields, message })}\n`);

function subscribe(engine: Engine, say: Say) {
  const { events } = engine;
  const about = (event: string, p: { id: number; script: string; status: string }) => ({
    event,
    processId: p.id,
    script: p.script,
    status: p.status,
  });
  events.on("process:started", ({ process: p }) =>
    say(`process ${p.id} (${p.script}) RUNNING`, about("process:started", p)),
  );
  events.on("process:finished", ({ process: p }) =>
    say(`process ${p.id} (${p.script}) ${p.status}${p.exitMessage ? `: ${p.exitMessage}` : ""}`, {
      ...about("process:finished", p),
      exitMessage: p.exitMessage,
    }),
  );
  events.on("process:requeued", ({ process: p }) =>
    say(`process ${p.id} (${p.script}) re-queued by shutdown`, about("process:requeued", p)),
  );
  // A crash found: say how to continue it (the script is looked up first, so the line stays one line).
  events.on("lease:expired", (e) => {
    void engine.service
      .getProcess(e.processId)
      .catch(() => undefined)
      .then((p) => {
        const resume = p && resumable(engine.scripts, p.script) ? resumeCommand(e.processId) : undefined;
        say(
          `process ${e.processId}: worker ${e.workerId} lost; marked FAILED${resume ? `; to continue it: ${resume}` : ""}`,
          { event: "lease:expired", ...e, ...(resume ? { resume } : {}) },
        );
      });
  });
  events.on("engine:error", ({ error, context }) =>
    say(`error in ${context}: ${error.message}`, { event: "engine:error", context }),
  );
}
