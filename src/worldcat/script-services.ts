/**
 * WorldCat for scripts: `ctx.services.worldcat` is the service account a process runs under (its
 * `--account` parameter, else the account it was created with, else `sandbox`), with a client opened once
 * per account and shared by every process of this OS process, so the account's token, rate limit and
 * connection pool are shared too.
 *
 * Resolving an account reads its secrets (`env:` or `file:`), which is asynchronous while the engine asks
 * for services synchronously; so the service hands out the client through `client()`.
 *
 * ```ts
 * const engine = await openEngine({ config, services: worldcatServices(config, process.env) });
 * // in a script:
 * const wc = await ctx.services.worldcat!.client(); // wc.label: "sandbox [SANDBOX]"
 * ```
 */
import { dirname } from "node:path";
import type { NightshiftConfig } from "../config/config.js";
import type { ProcessRecord } from "../engine/process-record.js";
import type { ScriptServices } from "../engine/script.js";
import { resolveAccount } from "./accounts.js";
import { createWorldCatClient, type WorldCatClient, type WorldCatClientOptions } from "./client.js";

declare module "../engine/script.js" {
  interface ScriptServices {
    /** The WorldCat service account of the process; absent when the host runs no WorldCat. */
    readonly worldcat?: WorldCatService;
  }
}

/** The WorldCat side of one process. */
export interface WorldCatService {
  /** The account's name as asked for (before it is resolved). */
  readonly accountName: string;
  /** The account's client (`client.account`, `client.label` = `name [SANDBOX]` for sandbox accounts). */
  client(): Promise<WorldCatClient>;
  /** Receives the transport's retry and failure lines for this account (redacted); returns an unsubscribe. */
  onTransportLog(listener: (line: string) => void): () => void;
}

export interface WorldCatServicesOptions {
  /** Client options for every account (timeouts, retry policy, ...). */
  readonly client?: WorldCatClientOptions;
  /** Account used when a process names none (default `sandbox`). */
  readonly defaultAccount?: string;
}

/** The `services(process)` callback for openEngine, plus `close()` for the pooled connections. */
export interface WorldCatServices {
  (process: ProcessRecord): Partial<ScriptServices>;
  /** The service of an account by name (default account when none): a preflight's, before a process exists. */
  forAccount(name: string | undefined): WorldCatService;
  close(): Promise<void>;
}

interface Opened {
  readonly client: WorldCatClient;
  readonly listeners: Set<(line: string) => void>;
}

/** Builds the services callback; accounts are resolved and their clients opened on first use. */
export function worldcatServices(
  config: NightshiftConfig,
  env: NodeJS.ProcessEnv = process.env,
  options: WorldCatServicesOptions = {},
): WorldCatServices {
  const opened = new Map<string, Promise<Opened>>();
  // `file:` secrets are relative to the config file, as its other paths are.
  const baseDir = config.configPath ? dirname(config.configPath) : process.cwd();

  const open = (name: string): Promise<Opened> => {
    let entry = opened.get(name);
    if (!entry) {
      entry = (async () => {
        const account = await resolveAccount(config.accounts, name, env, baseDir);
        const listeners = new Set<(line: string) => void>();
        const log = (line: string) => {
          options.client?.log?.(line);
          for (const l of listeners) l(line);
        };
        return { client: createWorldCatClient(account, { ...options.client, log }), listeners };
      })();
      // A failed resolution is not kept: fixing the environment and running again must work.
      entry.catch(() => opened.delete(name));
      opened.set(name, entry);
    }
    return entry;
  };

  const forAccount = (name: string | undefined): WorldCatService => {
    const accountName = name ?? options.defaultAccount ?? "sandbox";
    return {
      accountName,
      client: async () => (await open(accountName)).client,
      onTransportLog(listener) {
        let gone = false;
        let remove = () => {
          gone = true;
        };
        void open(accountName).then(
          (o) => {
            if (gone) return;
            o.listeners.add(listener);
            remove = () => o.listeners.delete(listener);
          },
          () => undefined,
        );
        return () => remove();
      },
    };
  };
  const services = ((process: ProcessRecord) => ({
    worldcat: forAccount(accountOf(process)),
  })) as WorldCatServices;
  services.forAccount = forAccount;
  services.close = async () => {
    const all = await Promise.allSettled([...opened.values()]);
    for (const r of all) if (r.status === "fulfilled") r.value.client.close();
    opened.clear();
  };
  return services;
}

/** `--account` as recorded on the process, else the account the process was created with. */
function accountOf(process: ProcessRecord): string | undefined {
  const param = process.parameters.find((p) => p.name === "--account")?.value;
  return param && param.trim() !== "" ? param.trim() : (process.account ?? undefined);
}
