/**
 * Parses a WSKey v2 HMAC Authorization header in every spelling OCLC's own libraries send:
 * `clientId`/`clientID`, `", "` or `","` between parameters, `principalID`/`principalId`,
 * `principalIDNS`/`principalIdns`, quoted or bare values, extra parameters (ignored).
 *
 * ```ts
 * parseHmacHeader('http://www.worldcat.org/wskey/v2/hmac/v1 clientId="k",timestamp="1",nonce="n",signature="s"')
 * // { clientId: "k", timestamp: "1", nonce: "n", signature: "s" }
 * ```
 */
import { HMAC_SCHEME } from "../../worldcat/auth/hmac.js";

export interface HmacCredentials {
  readonly clientId: string;
  readonly timestamp: string;
  readonly nonce: string;
  readonly signature: string;
  readonly principalID?: string;
  readonly principalIDNS?: string;
}

const PARAM = /([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g;

export function isHmacHeader(value: string): boolean {
  return value.trimStart().toLowerCase().startsWith(HMAC_SCHEME);
}

/** The credentials, or undefined when the header is not HMAC or lacks a required parameter. */
export function parseHmacHeader(value: string): HmacCredentials | undefined {
  const v = value.trim();
  if (!isHmacHeader(v)) return undefined;
  const params = new Map<string, string>();
  for (const m of v.slice(HMAC_SCHEME.length).matchAll(PARAM)) {
    const name = m[1].toLowerCase();
    if (!params.has(name)) params.set(name, m[2] ?? m[3] ?? "");
  }
  const clientId = params.get("clientid");
  const timestamp = params.get("timestamp");
  const nonce = params.get("nonce");
  const signature = params.get("signature");
  if (!clientId || !timestamp || !nonce || !signature) return undefined;
  return {
    clientId,
    timestamp,
    nonce,
    signature,
    principalID: params.get("principalid"),
    principalIDNS: params.get("principalidns"),
  };
}
