import { pathToFileURL } from "node:url";
import type { NightshiftConfig } from "../config/config.js";
import { EngineError, ScriptNotFoundError } from "./errors.js";
import type { ScriptDefinition } from "./script.js";

/** The scripts one OS process can run, with the config's limits applied. */
export interface ScriptRegistry {
  get(name: string): ScriptDefinition | undefined;
  /** Like get, but throws ScriptNotFoundError. */
  require(name: string): ScriptDefinition;
  list(): readonly ScriptDefinition[];
  /** name -> maxConcurrent (undefined: no limit), what the claim query needs. */
  limits(): ReadonlyMap<string, number | undefined>;
}

export function createRegistry(
  scripts: readonly ScriptDefinition[],
  overrides: NightshiftConfig["scripts"] = {},
): ScriptRegistry {
  const byName = new Map<string, ScriptDefinition>();
  for (const script of scripts) {
    const o = overrides[script.name] ?? {};
    byName.set(
      script.name,
      Object.freeze({
        ...script,
        maxConcurrent: o.maxConcurrent ?? script.maxConcurrent,
        timeoutMs: o.timeoutMs ?? script.timeoutMs,
      }),
    );
  }
  const limits = new Map([...byName.values()].map((s) => [s.name, s.maxConcurrent] as const));
  const sorted = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    get: (name) => byName.get(name),
    require(name) {
      const script = byName.get(name);
      if (!script) throw new ScriptNotFoundError(name);
      return script;
    },
    list: () => sorted,
    limits: () => limits,
  };
}

/**
 * The built-in scripts plus those of the config's `scriptModules` (default or `scripts` export). The built-ins
 * are handed in by the composition root (src/cli): the engine imports nothing above it, not even its plug-ins.
 */
export async function loadScripts(
  config: NightshiftConfig,
  builtIns: readonly ScriptDefinition[],
): Promise<ScriptRegistry> {
  const all: ScriptDefinition[] = [...builtIns];
  for (const modulePath of config.scriptModules) {
    const mod = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
    const list = mod.scripts ?? mod.default;
    if (!Array.isArray(list)) {
      throw new EngineError(`script module ${modulePath} exports no list of scripts (default or 'scripts')`);
    }
    all.push(...(list as ScriptDefinition[]));
  }
  return createRegistry(all, config.scripts);
}
