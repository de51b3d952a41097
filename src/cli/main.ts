import { VERSION } from "../version.js";
import type { CommandModule } from "./command.js";

/** Each command lives in its own file under commands/, loaded only when used (fast start-up). */
const commands: Record<string, () => Promise<CommandModule>> = {
  scripts: () => import("./commands/scripts.js"),
  run: () => import("./commands/run.js"),
  resume: () => import("./commands/resume.js"),
  processes: () => import("./commands/processes.js"),
  process: () => import("./commands/process.js"),
  cancel: () => import("./commands/cancel.js"),
  serve: () => import("./commands/serve.js"),
  worker: () => import("./commands/worker.js"),
  marc: () => import("./commands/marc.js"),
  worldcat: () => import("./commands/worldcat.js"),
  oai: () => import("./commands/oai.js"),
  sandbox: () => import("./commands/sandbox.js"),
  user: () => import("./commands/user.js"),
  migrate: () => import("./commands/migrate.js"),
  backup: () => import("./commands/backup.js"),
  restore: () => import("./commands/restore.js"),
  schedules: () => import("./commands/schedules.js"),
  schedule: () => import("./commands/schedule.js"),
  triggers: () => import("./commands/triggers.js"),
  notify: () => import("./commands/notify.js"),
  doctor: () => import("./commands/doctor.js"),
  accounts: () => import("./commands/accounts.js"),
};

async function help(): Promise<number> {
  const lines = ["Usage: nightshift <command> [options]", "", "Commands:"];
  for (const [name, load] of Object.entries(commands)) {
    const mod = await load();
    lines.push(`  ${name.padEnd(10)} ${mod.summary}`);
  }
  lines.push("", "Run `nightshift <command> --help` for the options of a command.");
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") return help();
  if (name === "--version" || name === "-V" || name === "version") {
    process.stdout.write(`nightshift ${VERSION}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`nightshift: unknown command '${name}'. Run 'nightshift --help'.\n`);
    return 2;
  }
  const mod = await load();
  return mod.default(rest);
}

// `nightshift process 7 --log | head`: the reader went away; stop quietly instead of crashing on EPIPE. A `run`
// goes on without output: its process is recorded, and leaving it half-done would only fail it later.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    if (process.argv[2] !== "run") process.exit(process.exitCode ?? 0);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // NIGHTSHIFT_DEBUG=1 shows where an unexpected error came from.
    const detail = process.env.NIGHTSHIFT_DEBUG && err instanceof Error ? err.stack : undefined;
    process.stderr.write(`nightshift: ${detail ?? (err instanceof Error ? err.message : String(err))}\n`);
    process.exitCode = 1;
  },
);
