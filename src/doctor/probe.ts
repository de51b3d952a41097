/** `doctor --probe`: the permission probe for every account, against what its bound scripts need. */
import { dirname } from "node:path";
import type { NightshiftConfig } from "../config/config.js";
import { coerceError } from "../errors.js";
import { resolveAccount } from "../worldcat/accounts.js";
import { createWorldCatClient } from "../worldcat/client.js";
import { probeAccount } from "../worldcat/probe.js";
import { accountBindings } from "./bindings.js";
import { type Finding, findingsOf } from "./finding.js";
import { SCRIPT_OPERATIONS } from "./needs.js";

export async function probeFindings(config: NightshiftConfig, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  const find = findingsOf(config);
  const bindings = accountBindings(config);
  const baseDir = config.configPath ? dirname(config.configPath) : process.cwd();
  const out: Finding[] = [];
  for (const name of Object.keys(config.accounts)) {
    const key = `accounts.${name}`;
    let account: Awaited<ReturnType<typeof resolveAccount>>;
    try {
      account = await resolveAccount(config.accounts, name, env, baseDir);
    } catch {
      continue; // reported by the static checks (secret-missing, inline-secret)
    }
    const client = createWorldCatClient(account, { retry: { maxAttempts: 2 }, timeouts: { readMs: 20_000 } });
    try {
      const report = await probeAccount(client);
      if (report.tokenError) {
        out.push(
          find(
            "error",
            "probe-failed",
            key,
            `no token: ${report.tokenError}`,
            "check the key, secret and scopes with OCLC",
          ),
        );
        continue;
      }
      const denied = new Map(report.results.filter((r) => r.verdict === "no").map((r) => [r.operation, r]));
      for (const script of new Set(bindings.filter((b) => b.account === name).map((b) => b.script))) {
        const missing = (SCRIPT_OPERATIONS[script] ?? []).filter((op) => denied.has(op));
        if (missing.length)
          out.push(
            find(
              "error",
              "probe-denied",
              key,
              `${script} needs ${missing.join(", ")}, which the account cannot do`,
              "ask OCLC for the roles, or bind another account to the script",
            ),
          );
      }
    } catch (err) {
      out.push(
        find(
          "error",
          "probe-failed",
          key,
          coerceError(err).message,
          "check the account's base URLs and network",
        ),
      );
    } finally {
      client.close();
    }
  }
  return out;
}
