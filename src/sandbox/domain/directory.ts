/** The institutions the sandbox knows: one per registry id among its accounts (symbol, place). */
import type { SandboxAccount } from "../accounts.js";

export interface Institution {
  readonly registryId: string;
  readonly symbol: string;
  readonly country: string;
  readonly state: string;
}

export function institutions(accounts: ReadonlyMap<string, SandboxAccount>): Institution[] {
  const byId = new Map<string, Institution>();
  for (const a of accounts.values())
    if (!byId.has(a.registryId))
      byId.set(a.registryId, {
        registryId: a.registryId,
        symbol: a.symbol,
        country: a.country,
        state: a.state,
      });
  return [...byId.values()];
}

export function institutionById(
  accounts: ReadonlyMap<string, SandboxAccount>,
  registryId: string,
): Institution | undefined {
  return institutions(accounts).find((i) => i.registryId === registryId);
}
