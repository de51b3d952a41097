import { createHash, randomBytes } from "node:crypto";

/** Prefix of API tokens, so a bare token (`Authorization: <token>`) is recognisable and leaks are greppable. */
export const TOKEN_PREFIX = "nst_";

/** A new random API token (shown once). */
export function newApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** A random opaque value (session ids, CSRF tokens, initial passwords). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256 (hex): how tokens and session ids are stored. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
