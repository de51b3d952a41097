/**
 * Service accounts as the UI shows them: GET /api/system/accounts when the server has it; otherwise only
 * the built-in `sandbox` is known. An account is a sandbox when the server says so, or when it is the
 * built-in one.
 */
import { ApiError, getJson, isMissingRoute } from "./api.ts";

export interface AccountSummary {
  readonly name: string;
  readonly sandbox: boolean;
  readonly [key: string]: unknown;
}

function isSandbox(a: Record<string, unknown>): boolean {
  if (typeof a.sandbox === "boolean") return a.sandbox;
  const env = String(a.environment ?? a.kind ?? a.mode ?? "").toUpperCase();
  if (env) return env === "SANDBOX";
  return a.name === "sandbox";
}

/** The accounts, or undefined when the server has no accounts endpoint. */
export async function loadAccounts(signal?: AbortSignal): Promise<AccountSummary[] | undefined> {
  try {
    const body = await getJson<unknown>("/api/system/accounts", signal);
    const list = Array.isArray(body)
      ? body
      : (((body as { _embedded?: Record<string, unknown[]> })._embedded?.accounts ??
          (body as { accounts?: unknown[] }).accounts ??
          []) as unknown[]);
    return (list as Record<string, unknown>[]).map((a) => ({
      ...a,
      name: String(a.name),
      sandbox: isSandbox(a),
    }));
  } catch (err) {
    // Only admins list accounts: for others only the built-in `sandbox` is known.
    if (isMissingRoute(err) || (err instanceof ApiError && err.status === 403)) return undefined;
    throw err;
  }
}

export function accountIsSandbox(
  name: string | null | undefined,
  accounts: AccountSummary[] | undefined,
): boolean {
  if (!name) return false;
  const found = accounts?.find((a) => a.name === name);
  return found ? found.sandbox : name === "sandbox";
}
