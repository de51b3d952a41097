/** The two ways a request is authorized: a bearer token, or an OCLC HMAC signature per request. */
import { randomBytes } from "node:crypto";
import type { ServiceAccount } from "../accounts.js";
import { registerSecret } from "../redact.js";
import { type Clock, systemClock } from "../transport/clock.js";
import type { Authorizer } from "../transport/transport.js";
import { authorizationHeader } from "./hmac.js";
import type { TokenManager } from "./tokens.js";

/** `Authorization: Bearer tk_...`; a 401 drops the token so the one retry gets a fresh one. */
export function bearerAuthorizer(tokens: TokenManager): Authorizer {
  return {
    async header(_method, _url, signal) {
      return `Bearer ${(await tokens.getToken(signal)).value}`;
    },
    rejected(header) {
      tokens.invalidate(header.slice("Bearer ".length));
      return true;
    },
  };
}

/** A fresh timestamp and nonce per request, signed with the account's secret (principal included). */
export function hmacAuthorizer(
  account: Pick<ServiceAccount, "key" | "secret" | "principalID" | "principalIDNS">,
  clock: Clock = systemClock,
  nonce: () => string = () => randomBytes(8).toString("hex"),
): Authorizer {
  registerSecret(account.secret);
  return {
    async header(method, url) {
      return authorizationHeader({
        key: account.key,
        secret: account.secret,
        method,
        url,
        timestamp: Math.floor(clock.now() / 1000),
        nonce: nonce(),
        principalID: account.principalID,
        principalIDNS: account.principalIDNS,
      });
    },
    // A signature is not refreshed: a 401 is final (clock skew, wrong secret, replayed nonce).
    rejected: () => false,
  };
}
