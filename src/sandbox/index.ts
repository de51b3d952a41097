/**
 * Nightshift's WorldCat sandbox: a faithful imitation of the WorldCat Metadata API (2.0 and the first API)
 * and OCLC's token servers over real HTTP, for tests, demos and dry runs.
 *
 * ```ts
 * const sandbox = await startSandbox({ seed: 1000, enableControl: true });
 * const [acct] = sandbox.accounts; // key, secret, registryId, symbol, scopes...
 * await fetch(`${sandbox.url}/token?grant_type=client_credentials&scope=WorldCatMetadataAPI`, { method: "POST",
 *   headers: { authorization: `Basic ${btoa(`${acct.key}:${acct.secret}`)}` } });
 * await sandbox.close();
 * ```
 */
export {
  AccountsFileError,
  demoAccounts,
  type HoldingCode,
  loadAccounts,
  type SandboxAccount,
} from "./accounts.js";
export { fingerprint } from "./domain/fingerprint.js";
export type { ScriptedFault } from "./faults.js";
export {
  parseDuration,
  parseErrorRates,
  parseProbability,
  parseRate,
  SandboxOptionError,
  type SandboxOptions,
} from "./options.js";
export { SYNTHETIC_BASE, syntheticIsbn } from "./seed/synthetic.js";
export { guideFor, type Sandbox, startSandbox } from "./server.js";
export { SandboxState } from "./state.js";
