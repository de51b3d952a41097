/**
 * What the Accounts page reads (admins only): the accounts as GET /api/system/accounts shows them (never a
 * secret), "check access" (POST /api/system/accounts/{name}/check: the permission probe) and the doctor's
 * findings (GET /api/system/doctor).
 */
import { getJson, sendJson } from "./api.ts";

export interface AccountReport {
  readonly name: string;
  readonly auth: string;
  readonly institution: { readonly registryId: string | null; readonly symbol: string | null };
  readonly scopes: readonly string[];
  readonly environment: "SANDBOX" | "PRODUCTION";
  readonly principalID: string | null;
  readonly usedBy: {
    readonly scripts: readonly string[];
    readonly schedules: readonly string[];
    readonly triggers: readonly string[];
  };
  readonly lastUsedAt: string | null;
  readonly lastError: {
    readonly processId: number;
    readonly at: string;
    readonly message: string | null;
  } | null;
}

export interface AccessCheck {
  readonly account: string;
  readonly sandbox: boolean;
  readonly checkedAt: string;
  readonly tokenError?: string;
  readonly token?: { readonly scopes: readonly string[]; readonly expiresAt: string };
  readonly results: readonly { operation: string; verdict: "yes" | "no" | "unknown"; evidence: string }[];
  readonly scripts: readonly { script: string; needs: readonly string[]; denied: readonly string[] }[];
}

export interface Finding {
  readonly severity: "error" | "warning";
  readonly code: string;
  readonly where: string;
  readonly message: string;
  readonly fix: string;
}

export async function loadAccountReports(signal?: AbortSignal): Promise<AccountReport[]> {
  return (await getJson<{ accounts: AccountReport[] }>("/api/system/accounts", signal)).accounts;
}

export async function checkAccess(name: string): Promise<AccessCheck> {
  const result = await sendJson<AccessCheck>(
    "POST",
    `/api/system/accounts/${encodeURIComponent(name)}/check`,
  );
  if (!result) throw new Error("the server answered no report");
  return result;
}

export async function loadFindings(signal?: AbortSignal): Promise<Finding[]> {
  return (await getJson<{ findings: Finding[] }>("/api/system/doctor", signal)).findings;
}
