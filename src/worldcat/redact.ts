/**
 * Secret redaction for every log line, error and exception message the WorldCat layer makes.
 *
 * ```ts
 * registerSecret("s3cr3t");
 * redact('Authorization: Bearer tk_abc, secret s3cr3t') // "Authorization: Bearer [REDACTED], secret [REDACTED]"
 * ```
 */

const MASK = "[REDACTED]";
const known = new Set<string>();

/** Remembers a secret value (client secret, access token) so redact() masks it wherever it appears. */
export function registerSecret(value: string | undefined): void {
  // Very short values would mask ordinary words; real secrets and tokens are long.
  if (value && value.length >= 6) known.add(value);
}

/** Forgets a secret (an expired token), keeping the registry small in long-running processes. */
export function forgetSecret(value: string | undefined): void {
  if (value) known.delete(value);
}

const PATTERNS: [RegExp, string][] = [
  // Bearer / Basic credentials wherever they appear.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${MASK}`],
  // OCLC access tokens by shape.
  [/\btk_[A-Za-z0-9._~+/=-]+/g, MASK],
  // The signature of an HMAC Authorization header (the key stays visible: it identifies, it does not grant).
  [/(signature\s*=\s*")[^"]*"/gi, `$1${MASK}"`],
  // JSON or query members that carry secrets.
  [/("(?:access_token|refresh_token|secret|client_secret|password)"\s*:\s*")[^"]*"/gi, `$1${MASK}"`],
  [/\b((?:access_token|refresh_token|client_secret|secret|password)=)[^&\s"]+/gi, `$1${MASK}`],
  // A bare "Authorization: <anything>" header line.
  [
    /(authorization["']?\s*[:=]\s*["']?)(?!Bearer|Basic|http:\/\/www\.worldcat\.org)[^\s"',}]+/gi,
    `$1${MASK}`,
  ],
];

/** Returns `text` with every known secret and every credential-shaped substring masked. */
export function redact(text: string, extraSecrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of [...known, ...extraSecrets]) {
    if (s && s.length > 0 && out.includes(s)) out = out.split(s).join(MASK);
  }
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** Redacts header values: Authorization (and any header named like a secret) is masked entirely. */
export function redactHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = /authorization|cookie|secret|token/i.test(name) ? MASK : redact(value);
  }
  return out;
}
