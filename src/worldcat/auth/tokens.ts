/**
 * Access tokens for a service account: the current client-credentials flow (Basic auth, scopes, optional
 * `context:<registryId>`) and the legacy HMAC-signed `/oauth2/accessToken` flow. Cached; refreshed before
 * expiry with a safety margin; one refresh in flight however many requests wait.
 *
 * ```ts
 * const tokens = createTokenManager({ account, transport });
 * const { value } = await tokens.getToken(); // "tk_..."
 * ```
 */
import { randomBytes } from "node:crypto";
import type { ServiceAccount } from "../accounts.js";
import { WorldCatError } from "../errors.js";
import { forgetSecret, registerSecret } from "../redact.js";
import { type Clock, systemClock } from "../transport/clock.js";
import type { Transport } from "../transport/transport.js";
import { authorizationHeader } from "./hmac.js";

export interface AccessToken {
  readonly value: string;
  /** Epoch ms when the server says it expires. */
  readonly expiresAt: number;
  /** Epoch ms after which we fetch a new one. */
  readonly refreshAt: number;
  readonly scopes: readonly string[];
  readonly principalID?: string;
  readonly principalIDNS?: string;
  readonly authenticatingInstitutionId?: string;
  readonly contextInstitutionId?: string;
}

export interface TokenManager {
  /** A valid token, from cache or from one shared refresh. */
  getToken(signal?: AbortSignal): Promise<AccessToken>;
  /** Drops the cached token if it is `value` (a 401 said so); later getToken() refreshes once. */
  invalidate(value?: string): void;
  /** The cached token without fetching, if any. */
  peek(): AccessToken | undefined;
  /** How many token requests were sent (for tests and `worldcat check`). */
  readonly fetches: number;
}

export type TokenAccount = Pick<
  ServiceAccount,
  | "name"
  | "auth"
  | "key"
  | "secret"
  | "principalID"
  | "principalIDNS"
  | "registryId"
  | "context"
  | "scopes"
  | "baseUrls"
>;

export interface TokenManagerOptions {
  readonly account: TokenAccount;
  /** Sends the token request (no Authorization added by it: we set it). */
  readonly transport: Transport;
  readonly clock?: Clock;
  /** Refresh this long before expiry (default 60 s; at most half the token's lifetime). */
  readonly marginMs?: number;
  /** Adds ` context:<registryId>` to the current flow's scope (default true when registryId is set). */
  readonly scopeContext?: boolean;
  readonly nonce?: () => string;
}

/** The token request URL and Authorization header for the account's flow. */
export function tokenRequest(
  account: TokenAccount,
  nowMs: number,
  nonce: string,
  scopeContext = true,
): { url: string; authorization: string } {
  if (account.auth === "hmac") {
    const inst = account.registryId ?? "";
    const q = new URLSearchParams({
      grant_type: "client_credentials",
      authenticatingInstitutionId: inst,
      contextInstitutionId: account.context ?? inst,
      scope: account.scopes.join(" "),
    });
    const url = `${account.baseUrls.authn}/oauth2/accessToken?${q.toString().replace(/\+/g, "%20")}`;
    const authorization = authorizationHeader({
      key: account.key,
      secret: account.secret,
      method: "POST",
      url,
      timestamp: Math.floor(nowMs / 1000),
      nonce,
      principalID: account.principalID,
      principalIDNS: account.principalIDNS,
    });
    return { url, authorization };
  }
  const scope = [
    ...account.scopes,
    // `context: <registryId>` of the account acts for that institution; else its own institution.
    ...(account.context
      ? [`context:${account.context}`]
      : scopeContext && account.registryId
        ? [`context:${account.registryId}`]
        : []),
  ];
  const q = `grant_type=client_credentials&scope=${encodeURIComponent(scope.join(" "))}`;
  const basic = Buffer.from(`${account.key}:${account.secret}`, "utf8").toString("base64");
  return { url: `${account.baseUrls.oauth}/token?${q}`, authorization: `Basic ${basic}` };
}

const optStr = (v: unknown): string | undefined =>
  typeof v === "string" || typeof v === "number" ? String(v) : undefined;

/** Reads a token response body; `expires_in` may be a number or a string, `expires_at` "YYYY-MM-DD HH:MM:SSZ". */
export function parseTokenResponse(body: string, nowMs: number, marginMs: number): AccessToken {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw new WorldCatError({ message: "token response is not JSON" }, "WORLDCAT_TOKEN");
  }
  const value = optStr(json.access_token);
  if (!value) throw new WorldCatError({ message: "token response has no access_token" }, "WORLDCAT_TOKEN");
  registerSecret(value);
  let expiresAt: number | undefined;
  const inSeconds = Number(json.expires_in);
  if (json.expires_in !== undefined && Number.isFinite(inSeconds)) expiresAt = nowMs + inSeconds * 1000;
  else if (typeof json.expires_at === "string") {
    const at = Date.parse(json.expires_at.trim().replace(" ", "T"));
    if (!Number.isNaN(at)) expiresAt = at;
  }
  expiresAt ??= nowMs + 20 * 60_000; // OCLC's usual lifetime when the server says nothing
  const lifetime = Math.max(0, expiresAt - nowMs);
  // `scope` and `scopes` are both documented; either may be a space-separated string or a list.
  const scopeList = (v: unknown): string[] | undefined =>
    Array.isArray(v)
      ? v.map(String)
      : typeof v === "string" && v.trim() !== ""
        ? v.split(/\s+/).filter(Boolean)
        : undefined;
  const scopes = scopeList(json.scopes) ?? scopeList(json.scope) ?? [];
  return Object.freeze({
    value,
    expiresAt,
    refreshAt: expiresAt - Math.min(marginMs, lifetime / 2),
    scopes,
    principalID: optStr(json.principalID),
    principalIDNS: optStr(json.principalIDNS),
    authenticatingInstitutionId: optStr(json.authenticating_institution_id),
    contextInstitutionId: optStr(json.context_institution_id),
  });
}

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { account, transport } = options;
  registerSecret(account.secret);
  const clock = options.clock ?? systemClock;
  const marginMs = options.marginMs ?? 60_000;
  const nonce = options.nonce ?? (() => randomBytes(8).toString("hex"));
  let current: AccessToken | undefined;
  let inflight: Promise<AccessToken> | undefined;
  let fetches = 0;

  async function fetchToken(): Promise<AccessToken> {
    fetches++;
    const { url, authorization } = tokenRequest(account, clock.now(), nonce(), options.scopeContext ?? true);
    const res = await transport.request({
      method: "POST",
      url,
      headers: { authorization, accept: "application/json" },
    });
    const token = parseTokenResponse(res.body, clock.now(), marginMs);
    forgetSecret(current?.value);
    current = token;
    return token;
  }

  return {
    get fetches() {
      return fetches;
    },
    peek: () => current,
    invalidate(value) {
      if (current && (value === undefined || current.value === value)) current = undefined;
    },
    getToken(signal) {
      if (current && clock.now() < current.refreshAt) return Promise.resolve(current);
      // Single flight: whoever comes while a refresh runs waits for that same refresh. The refresh belongs
      // to no caller (the account's clients share it across processes): a caller that gives up (its process
      // is cancelled) stops waiting, and the others still get the token.
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return signal ? waitUnlessAborted(inflight, signal) : inflight;
    },
  };
}

/** `promise`, or a rejection with the signal's reason as soon as it is aborted (the promise runs on). */
function waitUnlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
