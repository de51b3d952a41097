import { helpText } from "../../engine/parameters.js";
import { loadScripts } from "../../engine/registry.js";
import type { ScriptDefinition } from "../../engine/script.js";
import { builtInScripts } from "../../scripts/index.js";
import { loadCliConfig, parseArgs, runCommand, UsageError, writeJson } from "../options.js";

export const summary = "list the scripts and their parameters";

const USAGE = `Usage: nightshift scripts [NAME] [--json] [--data-dir DIR] [--config FILE]
Lists every script with its parameters; with NAME, the help of that script.
`;

export default function scriptsCommand(argv: string[]): Promise<number> {
  return runCommand("scripts", USAGE, async () => {
    const { flags, positionals } = parseArgs(argv, {});
    if (flags.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (positionals.length > 1) throw new UsageError("at most one script name");
    const registry = await loadScripts(await loadCliConfig(flags), builtInScripts);
    const scripts = positionals.length ? [registry.require(positionals[0])] : registry.list();
    if (flags.json) writeJson(scripts.map(describe));
    else process.stdout.write(`${scripts.map((s) => helpText(s)).join("\n\n")}\n`);
    return 0;
  });
}

/** A script as JSON (the REST contract's field names: `mandatory`). */
export function describe(script: ScriptDefinition) {
  return {
    name: script.name,
    description: script.description,
    maxConcurrent: script.maxConcurrent ?? null,
    timeoutMs: script.timeoutMs ?? null,
    parameters: script.parameters.map((p) => ({
      name: p.name,
      nameLong: p.nameLong,
      type: p.type,
      description: p.description,
      mandatory: p.required === true,
      ...(p.default !== undefined && !p.secret ? { default: p.default } : {}),
      ...(p.values ? { values: p.values } : {}),
      ...(p.secret ? { secret: true } : {}),
    })),
  };
}
