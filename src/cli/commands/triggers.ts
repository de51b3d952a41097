import { loadScripts } from "../../engine/registry.js";
import { builtInScripts } from "../../scripts/index.js";
import { configTriggers, triggerSummary } from "../../trigger/definition.js";
import { loadCliConfig, parseArgs, runCommand, UsageError, writeJson } from "../options.js";
import { table } from "../table.js";

export const summary = "list the triggers: webhooks and inbox folders";

const USAGE = `Usage: nightshift triggers [--json] [--data-dir DIR] [--config FILE]
Lists the triggers of the config file: name, script, kind (webhook or folder), authentication.
`;

export default function triggersCommand(argv: string[]): Promise<number> {
  return runCommand("triggers", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {});
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const config = await loadCliConfig(flags);
    const triggers = configTriggers(config, await loadScripts(config, builtInScripts));
    const rows = triggers.map((t) => ({
      ...triggerSummary(t),
      path: t.folder ? null : `/api/triggers/${t.name}`,
    }));
    if (flags.json) {
      writeJson(rows);
      return 0;
    }
    if (rows.length === 0) {
      process.stdout.write("no triggers\n");
      return 0;
    }
    const lines = rows.map((r) => [r.name, r.script, r.kind, r.auth, r.folder ?? r.path ?? ""]);
    process.stdout.write(table([["NAME", "SCRIPT", "KIND", "AUTH", "WHERE"], ...lines]));
    return 0;
  });
}
