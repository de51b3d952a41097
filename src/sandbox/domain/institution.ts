/** Who is calling: the account, the institution acted for, and the scopes granted. */
import type { SandboxAccount } from "../accounts.js";

export interface Caller {
  readonly account: SandboxAccount;
  readonly registryId: string;
  readonly symbol: string;
  readonly scopes: readonly string[];
}

/** The umbrella scope covers every operation; `WorldCatMetadataAPI:<op>` covers one. */
export const UMBRELLA_SCOPE = "WorldCatMetadataAPI";

export type Operation =
  | "manage_bibs"
  | "view_brief_bibs"
  | "manage_institution_holdings"
  | "manage_institution_lbds"
  | "manage_institution_lhrs"
  | "view_summary_holdings";

export function hasScope(scopes: readonly string[], op: Operation): boolean {
  return scopes.includes(UMBRELLA_SCOPE) || scopes.includes(`${UMBRELLA_SCOPE}:${op}`);
}
