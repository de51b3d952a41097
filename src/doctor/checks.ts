/**
 * The doctor's checks of a configuration, each finding with a code: secrets (inline, unreadable, readable by
 * others), service accounts (one per script, scopes, principal for writers, SANDBOX vs PRODUCTION), schedules
 * and triggers naming unknown scripts or accounts, script modules that cannot be loaded, notification channels.
 */
import { statSync } from "node:fs";
import { access } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { NightshiftConfig } from "../config/config.js";
import { ConfigError } from "../config/units.js";
import { isSandboxAccount } from "../notify/accounts.js";
import { parseNotifyConfig } from "../notify/config.js";
import { builtInScripts } from "../scripts/index.js";
import { accountBindings, startersOf } from "./bindings.js";
import { type Finding, findingsOf } from "./finding.js";
import { scopesNeeded, WRITING_SCRIPTS } from "./needs.js";

type Raw = Record<string, unknown>;
const isMap = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const isRef = (v: unknown) => typeof v === "string" && /^(env|file):./.test(v);

/** The names of every script: built-ins and those of the scriptModules that load; unloadable ones found. */
export async function scriptNames(
  config: NightshiftConfig,
): Promise<{ names: Set<string>; findings: Finding[] }> {
  const find = findingsOf(config);
  const names = new Set(builtInScripts.map((s) => s.name));
  const findings: Finding[] = [];
  for (const [i, path] of config.scriptModules.entries()) {
    const key = `scriptModules.${i}`;
    try {
      await access(path);
      const mod = (await import(pathToFileURL(path).href)) as Raw;
      const list = mod.default ?? mod.scripts;
      if (!Array.isArray(list)) throw new Error("it exports no list of scripts (default or 'scripts')");
      for (const s of list) if (isMap(s) && typeof s.name === "string") names.add(s.name);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      findings.push(
        find(
          "error",
          "script-module-unreadable",
          key,
          `cannot load ${path}: ${why}`,
          "fix the path or the module (it must export a list of script definitions)",
        ),
      );
    }
  }
  return { names, findings };
}

/** Every static finding (no network). */
export function lintConfig(
  config: NightshiftConfig,
  env: NodeJS.ProcessEnv,
  scripts: ReadonlySet<string>,
): Finding[] {
  return [
    ...secretFindings(config, env),
    ...notifyFindings(config),
    ...referenceFindings(config, scripts),
    ...accountFindings(config),
  ];
}

/** Every place a secret is given: accounts' secret (and key by reference), channels' password/secret/url. */
function secretPlaces(config: NightshiftConfig): { key: string; value: unknown; mustBeRef: boolean }[] {
  const out: { key: string; value: unknown; mustBeRef: boolean }[] = [];
  for (const [name, entry] of Object.entries(config.accounts)) {
    if (!isMap(entry)) continue;
    if (entry.secret !== undefined)
      out.push({ key: `accounts.${name}.secret`, value: entry.secret, mustBeRef: true });
    if (isRef(entry.key)) out.push({ key: `accounts.${name}.key`, value: entry.key, mustBeRef: false });
  }
  const channels = config.raw.channels;
  if (isMap(channels)) {
    for (const [name, entry] of Object.entries(channels)) {
      if (!isMap(entry)) continue;
      for (const k of ["password", "secret"]) {
        if (entry[k] !== undefined)
          out.push({ key: `channels.${name}.${k}`, value: entry[k], mustBeRef: true });
      }
      if (isRef(entry.url) || isRef(entry.ca))
        for (const k of ["url", "ca"])
          if (isRef(entry[k])) out.push({ key: `channels.${name}.${k}`, value: entry[k], mustBeRef: false });
    }
  }
  return out;
}

function secretFindings(config: NightshiftConfig, env: NodeJS.ProcessEnv): Finding[] {
  const find = findingsOf(config);
  const base = config.configPath ? resolve(config.configPath, "..") : process.cwd();
  const out: Finding[] = [];
  for (const { key, value, mustBeRef } of secretPlaces(config)) {
    if (!isRef(value)) {
      if (mustBeRef)
        out.push(
          find(
            "error",
            "inline-secret",
            key,
            "the secret is written in the config file",
            "store it in an environment variable or a file (mode 0600) and write env:NAME or file:PATH",
          ),
        );
      continue;
    }
    const ref = value as string;
    if (ref.startsWith("env:")) {
      if (!env[ref.slice(4)])
        out.push(
          find(
            "error",
            "secret-missing",
            key,
            `environment variable ${ref.slice(4)} is not set`,
            `set ${ref.slice(4)} in the service's environment`,
          ),
        );
      continue;
    }
    const path = ref.slice(5);
    const abs = isAbsolute(path) ? path : resolve(base, path);
    let mode: number;
    try {
      mode = statSync(abs).mode;
    } catch (err) {
      out.push(
        find(
          "error",
          "secret-missing",
          key,
          `cannot read secret file ${path}: ${(err as NodeJS.ErrnoException).code}`,
          "create the file, readable by the service account only",
        ),
      );
      continue;
    }
    if ((mode & 0o077) !== 0)
      out.push(
        find(
          "error",
          "secret-file-readable",
          key,
          `secret file ${path} is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, "0")})`,
          `chmod 600 ${path}`,
        ),
      );
  }
  return out;
}

function notifyFindings(config: NightshiftConfig): Finding[] {
  try {
    parseNotifyConfig({ ...config });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // inline secrets are found above, with their own code
    if (/inline secrets/.test(err.detail)) return [];
    return [
      findingsOf(config)(
        "error",
        "notify-config",
        err.key,
        err.detail,
        "correct the channel or rule (see README, Notifications)",
      ),
    ];
  }
}

function referenceFindings(config: NightshiftConfig, scripts: ReadonlySet<string>): Finding[] {
  const find = findingsOf(config);
  const out: Finding[] = [];
  const accounts = new Set([...Object.keys(config.accounts), "sandbox"]);
  for (const s of startersOf(config)) {
    const section = s.kind === "schedule" ? "schedules" : "triggers";
    if (s.script && !scripts.has(s.script))
      out.push(
        find(
          "error",
          "unknown-script",
          `${section}.${s.name}.script`,
          `no script named ${s.script}`,
          "name a script that `nightshift scripts` lists",
        ),
      );
    if (s.account && !accounts.has(s.account))
      out.push(
        find(
          "error",
          "unknown-account",
          `${section}.${s.name}.account`,
          `no account named ${s.account}`,
          "name an account of accounts:",
        ),
      );
  }
  for (const [script, settings] of Object.entries(config.scripts)) {
    const account = settings.account;
    if (account === undefined) continue;
    if (typeof account !== "string" || !accounts.has(account))
      out.push(
        find(
          "error",
          "unknown-account",
          `scripts.${script}.account`,
          `no account named ${String(account)}`,
          "name an account of accounts:",
        ),
      );
    if (!scripts.has(script))
      out.push(
        find(
          "warning",
          "unknown-script",
          `scripts.${script}`,
          `no script named ${script}`,
          "remove the entry or fix the script's name",
        ),
      );
  }
  return out;
}

function accountFindings(config: NightshiftConfig): Finding[] {
  const find = findingsOf(config);
  const out: Finding[] = [];
  const bindings = accountBindings(config);
  const sandbox = (name: string) => isSandboxAccount(config.accounts, name);
  // One account, several scripts' schedules or triggers: the guide's "one user per script".
  const starters = new Map<string, { scripts: Set<string>; keys: string[] }>();
  for (const b of bindings.filter((x) => x.kind !== "script")) {
    const entry = starters.get(b.account) ?? { scripts: new Set(), keys: [] };
    entry.scripts.add(b.script);
    entry.keys.push(`${b.kind} ${b.name} (${b.script})`);
    starters.set(b.account, entry);
  }
  for (const [account, { scripts, keys }] of starters) {
    if (scripts.size > 1 && Object.hasOwn(config.accounts, account))
      out.push(
        find(
          "warning",
          "account-shared",
          `accounts.${account}`,
          `used by schedules or triggers of ${scripts.size} scripts: ${keys.join(", ")}`,
          "give each script its own service account with only the roles it needs",
        ),
      );
  }
  for (const [name, entry] of Object.entries(config.accounts)) {
    if (!isMap(entry)) continue;
    const scripts = new Set(bindings.filter((b) => b.account === name).map((b) => b.script));
    if (scripts.size === 0) continue;
    const needed = new Set([...scripts].flatMap(scopesNeeded));
    const scopes = Array.isArray(entry.scopes) ? entry.scopes.map(String) : ["WorldCatMetadataAPI"];
    const extra = scopes.filter((s) => !needed.has(s.split(":")[0]));
    if (extra.length)
      out.push(
        find(
          "warning",
          "account-excess-scopes",
          `accounts.${name}.scopes`,
          `scopes no bound script needs: ${extra.join(", ")} (bound: ${[...scripts].join(", ")})`,
          "remove those scopes from the account (least privilege)",
        ),
      );
    const writers = [...scripts].filter((s) => WRITING_SCRIPTS.has(s));
    if (writers.length && (!entry.principalID || !entry.principalIDNS))
      out.push(
        find(
          "error",
          "principal-missing",
          `accounts.${name}`,
          `no principalID/principalIDNS, but ${writers.join(", ")} write${writers.length === 1 ? "s" : ""} with it`,
          "add principalID and principalIDNS of the account's WSKey user",
        ),
      );
  }
  // A schedule or trigger under a sandbox account for a script bound to a production one, and the reverse.
  for (const b of bindings.filter((x) => x.kind !== "script")) {
    const scriptAccount = config.scripts[b.script]?.account;
    if (typeof scriptAccount !== "string" || scriptAccount === b.account) continue;
    if (sandbox(scriptAccount) !== sandbox(b.account)) {
      const [mine, theirs] = sandbox(b.account) ? ["SANDBOX", "PRODUCTION"] : ["PRODUCTION", "SANDBOX"];
      out.push(
        find(
          "error",
          "account-environment-mismatch",
          b.key,
          `${b.kind} ${b.name} runs ${b.script} under ${mine} account ${b.account}, but the script is bound to ${theirs} account ${scriptAccount}`,
          "use an account of the same kind (SANDBOX or PRODUCTION) as the script's",
        ),
      );
    }
  }
  return out;
}
