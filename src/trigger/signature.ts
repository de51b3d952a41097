/**
 * The signature of an inbound event: `X-Nightshift-Signature: t=<unix seconds>,v1=<hex>`, the HMAC-SHA256 of
 * `<t>.<raw body>` with the trigger's secret; a `t` more than 5 minutes from now (older or future-dated) is
 * refused; the comparison takes the same time whatever the bytes.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-nightshift-signature";
export const TOLERANCE_S = 300;

export type SignatureCheck =
  | { readonly ok: true; readonly t: number; readonly v1: string }
  | { readonly ok: false; readonly reason: string };

export function checkSignature(
  secret: string,
  rawBody: Buffer,
  header: string | undefined,
  nowMs: number,
): SignatureCheck {
  if (!header) return { ok: false, reason: `no ${SIGNATURE_HEADER} header` };
  const parts = new Map<string, string>();
  for (const piece of header.split(",")) {
    const eq = piece.indexOf("=");
    if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
  }
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!/^\d+$/.test(parts.get("t") ?? "") || !/^[0-9a-f]{64}$/i.test(v1))
    return { ok: false, reason: "the signature header is not t=<unix seconds>,v1=<hex>" };
  if (Math.abs(nowMs / 1000 - t) > TOLERANCE_S)
    return { ok: false, reason: "the signature's time is more than 5 minutes from now" };
  const expected = createHmac("sha256", secret).update(`${t}.`).update(rawBody).digest();
  if (!timingSafeEqual(expected, Buffer.from(v1, "hex")))
    return { ok: false, reason: "the signature does not match" };
  return { ok: true, t, v1: v1.toLowerCase() };
}

/** What a sender computes (tests, docs). */
export function signEvent(secret: string, rawBody: string | Buffer, unixSeconds: number): string {
  const t = Math.floor(unixSeconds);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.`).update(rawBody).digest("hex")}`;
}
