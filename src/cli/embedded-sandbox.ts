/**
 * The built-in sandbox behind the `sandbox` service account of the embedded defaults.
 *
 * When the config defines no account named `sandbox`, the first process that asks for it starts an in-process
 * WorldCat sandbox (random loopback port, one generated account) and the account points at it. `serve` starts it
 * at once and writes `<dataDir>/sandbox.json` (mode 0600) so that a `nightshift run` or `worker` beside it on the
 * same data directory uses the same sandbox instead of a private one.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { NightshiftConfig } from "../config/config.js";

const FILE = "sandbox.json";
export const SANDBOX_KEY_ENV = "NIGHTSHIFT_EMBEDDED_SANDBOX_KEY";
export const SANDBOX_SECRET_ENV = "NIGHTSHIFT_EMBEDDED_SANDBOX_SECRET";

interface SandboxInfo {
  readonly url: string;
  readonly key: string;
  readonly secret: string;
  readonly registryId: string;
  readonly symbol: string;
  readonly principalID: string;
  readonly principalIDNS: string;
}

export interface EmbeddedSandbox {
  /** The config with the `sandbox` account added (secrets by env reference, as every account). */
  readonly config: NightshiftConfig;
  /** The environment holding the account's secret references. */
  readonly env: NodeJS.ProcessEnv;
  readonly url: string;
  /** What the sandbox holds, in words (see src/sandbox/guide.ts); only for a sandbox this process started. */
  readonly guide?: readonly string[];
  close(): Promise<void>;
}

async function reachable(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/token`, { method: "POST", signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

async function readShared(dataDir: string): Promise<SandboxInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(join(dataDir, FILE), "utf8")) as SandboxInfo;
    return (await reachable(info.url)) ? info : undefined;
  } catch {
    return undefined;
  }
}

async function startOwn(): Promise<{ info: SandboxInfo; guide: string[]; close(): Promise<void> }> {
  const { startSandbox } = await import("../sandbox/index.js");
  const account = {
    key: `sandbox-${randomBytes(8).toString("hex")}`,
    secret: randomBytes(24).toString("base64url"),
    registryId: "128807",
    symbol: "OCPSB",
    principalID: randomUUID(),
    principalIDNS: "urn:oclc:wms:da",
    scopes: ["WorldCatMetadataAPI"],
    holdingCodes: [
      { code: "MAIN", name: "Main Library" },
      { code: "SPEC", name: "Special Collections" },
    ],
    contexts: [],
    country: "US",
    state: "US-OH",
  };
  const sandbox = await startSandbox({ port: 0, accounts: [account], seed: 1000 });
  return { info: { ...account, url: sandbox.url }, guide: sandbox.guide(), close: () => sandbox.close() };
}

/**
 * Adds the `sandbox` account when the config has none. `share` (serve) publishes the sandbox for other
 * commands on the data directory; others reuse a published one when it answers.
 */
export async function withEmbeddedSandbox(
  config: NightshiftConfig,
  options: { share: boolean; env?: NodeJS.ProcessEnv },
): Promise<EmbeddedSandbox | undefined> {
  if (Object.hasOwn(config.accounts, "sandbox")) return undefined;
  const shared = options.share ? undefined : await readShared(config.dataDir);
  const own = shared ? undefined : await startOwn();
  const info = shared ?? own!.info;
  const path = join(config.dataDir, FILE);
  if (own && options.share) {
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    // Created anew: a file left from an earlier run keeps its own mode when overwritten (and a symlink
    // would be followed); this one holds the sandbox's secret.
    await rm(path, { force: true });
    await writeFile(path, `${JSON.stringify(info)}\n`, { mode: 0o600, flag: "wx" });
  }
  const account = {
    auth: "token",
    key: `env:${SANDBOX_KEY_ENV}`,
    secret: `env:${SANDBOX_SECRET_ENV}`,
    registryId: info.registryId,
    symbol: info.symbol,
    principalID: info.principalID,
    principalIDNS: info.principalIDNS,
    scopes: ["WorldCatMetadataAPI"],
    sandboxUrl: info.url,
  };
  return {
    config: { ...config, accounts: { ...config.accounts, sandbox: account } },
    env: { ...(options.env ?? process.env), [SANDBOX_KEY_ENV]: info.key, [SANDBOX_SECRET_ENV]: info.secret },
    url: info.url,
    guide: own?.guide,
    async close() {
      if (own) {
        if (options.share) await rm(path, { force: true });
        await own.close();
      }
    },
  };
}
