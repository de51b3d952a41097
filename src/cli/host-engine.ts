/**
 * The engine as the `nightshift` commands that run scripts open it: the configured scripts, the WorldCat
 * services bound to each process's service account, and the built-in sandbox account on embedded defaults.
 */
import type { NightshiftConfig } from "../config/config.js";
import { type Engine, openEngine } from "../engine/engine.js";
import type { ScriptRegistry } from "../engine/registry.js";
import { builtInScripts } from "../scripts/index.js";
import { worldcatServices } from "../worldcat/script-services.js";
import { withEmbeddedSandbox } from "./embedded-sandbox.js";

export interface HostEngine {
  readonly engine: Engine;
  /** The built-in sandbox's URL when this host added the `sandbox` account. */
  readonly sandboxUrl?: string;
  /** What that sandbox holds, in words, when this host started it. */
  readonly sandboxGuide?: readonly string[];
  /** The environment the accounts' `env:` secrets are read from (with the built-in sandbox's). */
  readonly accountEnv: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function openHostEngine(
  config: NightshiftConfig,
  options: { shareSandbox?: boolean; sandbox?: boolean; scripts?: ScriptRegistry } = {},
): Promise<HostEngine> {
  // A `run` of a script that has no --account needs no sandbox: it does not start one (fast start-up).
  const embedded =
    options.sandbox === false
      ? undefined
      : await withEmbeddedSandbox(config, { share: options.shareSandbox ?? false });
  const effective = embedded?.config ?? config;
  const services = worldcatServices(effective, embedded?.env ?? process.env);
  let engine: Engine;
  try {
    engine = await openEngine({
      config: effective,
      services,
      preflightServices: (account) => ({ worldcat: services.forAccount(account) }),
      scripts: options.scripts,
      builtInScripts,
    });
  } catch (err) {
    // e.g. a database from a newer Nightshift: the sandbox started for it must not keep the command alive
    await services.close().catch(() => undefined);
    await embedded?.close().catch(() => undefined);
    throw err;
  }
  return {
    engine,
    sandboxUrl: embedded?.url,
    sandboxGuide: embedded?.guide,
    accountEnv: embedded?.env ?? process.env,
    async close() {
      await engine.close();
      await services.close();
      await embedded?.close();
    },
  };
}
