/**
 * "Check access" for one service account (`POST /api/system/accounts/{name}/check`): the permission probe of
 * `nightshift worldcat check`, and for each script bound to the account the operations it needs that the
 * account was refused. Never a secret: the report names operations, endpoints and HTTP answers only.
 */
import { dirname } from "node:path";
import type { NightshiftConfig } from "../config/config.js";
import { resolveAccount } from "../worldcat/accounts.js";
import { createWorldCatClient } from "../worldcat/client.js";
import { type ProbeReport, probeAccount } from "../worldcat/probe.js";
import { accountBindings } from "./bindings.js";
import { SCRIPT_OPERATIONS } from "./needs.js";

export interface AccountCheck extends ProbeReport {
  readonly checkedAt: string;
  /** Each script bound to the account, what it needs, and which of that the account may not do. */
  readonly scripts: readonly { script: string; needs: readonly string[]; denied: readonly string[] }[];
}

/** Resolves the account (its secrets by reference), probes it, and relates the answers to its scripts. */
export async function checkAccount(
  config: NightshiftConfig,
  name: string,
  env: NodeJS.ProcessEnv,
  now: () => Date = () => new Date(),
): Promise<AccountCheck> {
  const baseDir = config.configPath ? dirname(config.configPath) : process.cwd();
  const account = await resolveAccount(config.accounts, name, env, baseDir);
  const client = createWorldCatClient(account, { retry: { maxAttempts: 2 }, timeouts: { readMs: 20_000 } });
  try {
    const report = await probeAccount(client);
    const denied = new Set(report.results.filter((r) => r.verdict === "no").map((r) => r.operation));
    const scripts = [
      ...new Set(
        accountBindings(config)
          .filter((b) => b.account === name)
          .map((b) => b.script),
      ),
    ].map((script) => {
      const needs = SCRIPT_OPERATIONS[script] ?? [];
      return { script, needs, denied: needs.filter((op) => denied.has(op)) };
    });
    return { ...report, checkedAt: now().toISOString(), scripts };
  } finally {
    client.close();
  }
}
