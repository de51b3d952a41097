/**
 * Checks an HMAC-signed request for real: known key, signature over the query (canonical, or as OCLC's Node
 * library signs it), timestamp within the allowed skew, nonce never seen before for that key and timestamp,
 * principal matching the account.
 */
import { timingSafeEqual } from "node:crypto";
import { hmacSignature } from "../../worldcat/auth/hmac.js";
import type { SandboxAccount } from "../accounts.js";
import { UnauthorizedError } from "../errors.js";
import type { SandboxState } from "../state.js";
import { parseHmacHeader } from "./hmac-header.js";

export interface HmacCheck {
  readonly accounts: ReadonlyMap<string, SandboxAccount>;
  readonly state: SandboxState;
  readonly maxSkewSeconds: number;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function verifyHmac(check: HmacCheck, header: string, method: string, rawUrl: string): SandboxAccount {
  const creds = parseHmacHeader(header);
  if (!creds) throw new UnauthorizedError("Malformed HMAC Authorization header");
  const account = check.accounts.get(creds.clientId);
  if (!account) throw new UnauthorizedError("WSKey is not valid");
  const ts = Number(creds.timestamp);
  const nowS = check.state.now() / 1000;
  if (!Number.isFinite(ts) || Math.abs(nowS - ts) > check.maxSkewSeconds)
    throw new UnauthorizedError(
      `Timestamp ${creds.timestamp} is too far from server time ${Math.floor(nowS)}`,
    );
  const signed = {
    key: account.key,
    secret: account.secret,
    method,
    url: `http://sandbox${rawUrl}`,
    timestamp: creds.timestamp,
    nonce: creds.nonce,
  };
  // The canonical query (decoded, RFC 3986 re-encoded), or the variant OCLC's Node library signs.
  const valid =
    sameText(hmacSignature(signed), creds.signature) ||
    sameText(hmacSignature({ ...signed, queryLines: nodeLibraryQueryLines(rawUrl) }), creds.signature);
  if (!valid) throw new UnauthorizedError("HMAC signature is not valid");
  if (
    (creds.principalID !== undefined &&
      account.principalID !== "" &&
      creds.principalID !== account.principalID) ||
    (creds.principalIDNS !== undefined &&
      account.principalIDNS !== "" &&
      creds.principalIDNS !== account.principalIDNS)
  )
    throw new UnauthorizedError("principalID/principalIDNS do not belong to this WSKey");
  rememberNonce(check, `${creds.clientId} ${creds.timestamp} ${creds.nonce}`);
  return account;
}

/**
 * The query as OCLC's Node library (oclc-auth-node) signs it: the parameters as sent, sorted as sent, each
 * `name=value` with only ! * ' ( ) percent-encoded on top, and those with an empty value left out.
 */
export function nodeLibraryQueryLines(rawUrl: string): string[] {
  const q = rawUrl.indexOf("?");
  if (q < 0) return [];
  const query = rawUrl.slice(q + 1).split("#")[0];
  const lines: string[] = [];
  for (const param of query.split("&").sort()) {
    const [name, value] = param.split("=");
    if (!value) continue;
    lines.push(
      `${name}=${value.replace(/[!*'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );
  }
  return lines;
}

function rememberNonce(check: HmacCheck, id: string) {
  const { nonces } = check.state;
  if (nonces.has(id)) throw new UnauthorizedError("Nonce has already been used (replayed request)");
  const now = check.state.now();
  nonces.set(id, now);
  // Entries older than the skew window can never be replayed successfully: drop them now and then.
  if (nonces.size % 1024 === 0) {
    const horizon = now - 2 * check.maxSkewSeconds * 1000;
    for (const [k, t] of nonces) if (t < horizon) nonces.delete(k);
  }
}
