/** What every route can reach: state, accounts, settings. One per running sandbox. */
import type { SandboxAccount } from "./accounts.js";
import type { TokenServer } from "./auth/token-routes.js";
import type { Faults } from "./faults.js";
import type { SandboxState } from "./state.js";

export interface SandboxEnv extends TokenServer {
  state: SandboxState;
  readonly accounts: ReadonlyMap<string, SandboxAccount>;
  readonly faults: Faults;
  /** Rebuilds the state as it was at start (POST /_sandbox/reset). */
  reset(): void;
  /** Delay before a requested holdings move is carried out (ms of sandbox time). */
  readonly moveDelayMs: number;
  /** Clock offset added to the base clock by POST /_sandbox/clock (ms). */
  clockOffsetMs: number;
  /** When set, the OAI-PMH provider answers the first resumed page of each harvest 503 + Retry-After (s). */
  readonly oaiRetryAfter?: number;
}
