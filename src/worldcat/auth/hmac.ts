import { createHmac } from "node:crypto";

/** Everything the OCLC "WSKey v2" HMAC signature depends on. */
export interface HmacInput {
  key: string;
  secret: string;
  method: string;
  url: string;
  timestamp: number | string;
  nonce: string;
  /** Always empty in OCLC's scheme; kept for completeness. */
  bodyHash?: string;
  /** The query lines to sign instead of `normaliseQuery(url)` (a server checking another library's variant). */
  queryLines?: readonly string[];
}

/** The auth scheme URI that starts every HMAC Authorization header. */
export const HMAC_SCHEME = "http://www.worldcat.org/wskey/v2/hmac/v1";

/** RFC 3986 percent-encoding: like encodeURIComponent but also encodes ! ' ( ) *. */
export function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decodeQueryPart(part: string): string {
  const spaced = part.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    // Malformed %-escape: sign what was sent rather than fail.
    return spaced;
  }
}

/**
 * The query of `url` as sorted, re-encoded `name=value` lines, as OCLC signs them.
 * @example normaliseQuery("https://x/y?b=a+b&a=1:2") // ["a=1%3A2", "b=a%20b"]
 */
export function normaliseQuery(url: string): string[] {
  const q = url.indexOf("?");
  if (q < 0) return [];
  const hash = url.indexOf("#", q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const lines: string[] = [];
  for (const part of query.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    lines.push(`${rfc3986Encode(decodeQueryPart(name))}=${rfc3986Encode(decodeQueryPart(value))}`);
  }
  // Plain code-unit order, as OCLC's libraries sort.
  return lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The exact string OCLC signs: key, timestamp, nonce, body hash, method, the fixed
 * www.oclc.org / 443 / /wskey lines, then one line per query parameter; every line ends in "\n".
 */
export function stringToSign(input: HmacInput): string {
  const lines = [
    input.key,
    String(input.timestamp),
    input.nonce,
    input.bodyHash ?? "",
    input.method.toUpperCase(),
    "www.oclc.org",
    "443",
    "/wskey",
    ...(input.queryLines ?? normaliseQuery(input.url)),
  ];
  return `${lines.join("\n")}\n`;
}

/** base64(HMAC-SHA256(secret as UTF-8, stringToSign(input))). The secret is never base64-decoded. */
export function hmacSignature(input: HmacInput): string {
  return createHmac("sha256", Buffer.from(input.secret, "utf8"))
    .update(stringToSign(input), "utf8")
    .digest("base64");
}

/**
 * The full Authorization header value (without the "Authorization: " prefix), canonical form:
 * `http://www.worldcat.org/wskey/v2/hmac/v1 clientId="K", timestamp="T", nonce="N", signature="S"[, principalID="P", principalIDNS="NS"]`.
 */
export function authorizationHeader(
  input: HmacInput & { principalID?: string; principalIDNS?: string },
): string {
  const params: [string, string][] = [
    ["clientId", input.key],
    ["timestamp", String(input.timestamp)],
    ["nonce", input.nonce],
    ["signature", hmacSignature(input)],
  ];
  if (input.principalID) params.push(["principalID", input.principalID]);
  if (input.principalIDNS) params.push(["principalIDNS", input.principalIDNS]);
  return `${HMAC_SCHEME} ${params.map(([k, v]) => `${k}="${v}"`).join(", ")}`;
}
