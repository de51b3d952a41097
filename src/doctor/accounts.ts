/**
 * The service accounts as `nightshift accounts` and `GET /api/system/accounts` show them: never a secret;
 * auth mode, institution, scopes, SANDBOX or PRODUCTION, who uses them, last use and last error.
 */
import type { NightshiftConfig } from "../config/config.js";
import { isSandboxAccount } from "../notify/accounts.js";
import { type AccountUsage, accountUsage } from "../store/queries/account-usage.js";
import type { Db } from "../store/store.js";
import { accountBindings } from "./bindings.js";

export interface AccountReport extends AccountUsage {
  readonly name: string;
  readonly auth: string;
  readonly institution: { readonly registryId: string | null; readonly symbol: string | null };
  readonly scopes: readonly string[];
  readonly environment: "SANDBOX" | "PRODUCTION";
  readonly principalID: string | null;
  readonly usedBy: { readonly scripts: string[]; readonly schedules: string[]; readonly triggers: string[] };
}

type Raw = Record<string, unknown>;
const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);

export async function accountReports(config: NightshiftConfig, db: Db): Promise<AccountReport[]> {
  const bindings = accountBindings(config);
  const accounts = { ...config.accounts };
  // the built-in sandbox account of the embedded defaults
  if (!Object.hasOwn(accounts, "sandbox")) accounts.sandbox = { auth: "token", sandbox: true };
  const out: AccountReport[] = [];
  for (const [name, value] of Object.entries(accounts)) {
    const raw = (typeof value === "object" && value !== null ? value : {}) as Raw;
    const used = (kind: string) => [
      ...new Set(bindings.filter((b) => b.account === name && b.kind === kind).map((b) => b.name)),
    ];
    out.push({
      name,
      auth: text(raw.auth) ?? "token",
      institution: { registryId: text(raw.registryId), symbol: text(raw.symbol) },
      scopes: Array.isArray(raw.scopes) ? raw.scopes.map(String) : ["WorldCatMetadataAPI"],
      environment: isSandboxAccount(config.accounts, name) ? "SANDBOX" : "PRODUCTION",
      principalID: text(raw.principalID),
      usedBy: { scripts: used("script"), schedules: used("schedule"), triggers: used("trigger") },
      ...(await accountUsage(db, name)),
    });
  }
  return out;
}

/** One block per account for the terminal. */
export function accountLines(list: readonly AccountReport[]): string {
  return list
    .map((a) => {
      const uses = [
        ...a.usedBy.scripts.map((s) => `script ${s}`),
        ...a.usedBy.schedules.map((s) => `schedule ${s}`),
        ...a.usedBy.triggers.map((s) => `trigger ${s}`),
      ];
      const institution = [a.institution.registryId, a.institution.symbol].filter(Boolean).join(" / ") || "-";
      return [
        `${a.name} [${a.environment}]`,
        `  auth: ${a.auth}; institution: ${institution}; scopes: ${a.scopes.join(", ")}`,
        `  used by: ${uses.length ? uses.join(", ") : "nothing in the config"}`,
        `  last used: ${a.lastUsedAt ?? "never"}; last error: ${a.lastError ? `process ${a.lastError.processId} at ${a.lastError.at}: ${a.lastError.message ?? ""}` : "none"}`,
      ].join("\n");
    })
    .join("\n")
    .concat("\n");
}
