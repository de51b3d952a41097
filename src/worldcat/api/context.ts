/** What every API area needs: the transport, the right authorizer per API, the account, and JSON helpers. */
import type { MarcRecord } from "../../marc/record.js";
import type { ServiceAccount } from "../accounts.js";
import { WorldCatError } from "../errors.js";
import { MARCXML_2, marcBody } from "../marc-body.js";
import type { HttpResponse } from "../transport/http.js";
import type { Authorizer, Transport, TransportRequest } from "../transport/transport.js";

export interface ApiContext {
  readonly account: ServiceAccount;
  readonly transport: Transport;
  /** For Metadata API 2.0 (always a bearer token). */
  readonly metadataAuth: Authorizer;
  /** For the first API (bearer token, or a fresh HMAC signature per request for `auth: hmac`). */
  readonly firstAuth: Authorizer;
  /** Default holding library code for the first API (049 code). */
  readonly holdingLibraryCode?: string;
  /** Default classification scheme for the first API. */
  readonly classificationScheme: string;
}

/** Adds query parameters (skipping undefined) with %20 for spaces. */
export function withQuery(
  url: string,
  params: Record<string, string | number | boolean | undefined>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.append(k, String(v));
  const s = q.toString().replace(/\+/g, "%20");
  return s ? `${url}${url.includes("?") ? "&" : "?"}${s}` : url;
}

export type Call = Omit<TransportRequest, "auth"> & { readonly signal?: AbortSignal };

/** A 2.0 call expecting JSON back. */
export async function metadataJson<T>(ctx: ApiContext, call: Call): Promise<T> {
  const res = await ctx.transport.request({
    ...call,
    auth: ctx.metadataAuth,
    headers: { accept: "application/json", ...call.headers },
  });
  return parseJson<T>(res, call);
}

export function parseJson<T>(res: HttpResponse, call: Pick<Call, "method" | "url">): T {
  try {
    return (res.body.trim() === "" ? {} : JSON.parse(res.body)) as T;
  } catch {
    throw new WorldCatError({
      status: res.status,
      message: "response is not JSON",
      method: call.method,
      url: call.url,
    });
  }
}

/** Splits numbers into requests of at most `size` (OCLC allows 10 per `current` call). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A 2.0 call that sends and/or receives one MARCXML record (bibs and local bib data alike); `create` marks a
 * POST of a new record, which the transport never retries blindly.
 */
export function metadataRecordCall(
  ctx: ApiContext,
  method: string,
  url: string,
  record: MarcRecord | undefined,
  create: boolean,
  signal?: AbortSignal,
): Promise<HttpResponse> {
  return ctx.transport.request({
    method,
    url,
    headers: record ? { "content-type": MARCXML_2, accept: MARCXML_2 } : { accept: MARCXML_2 },
    body: record ? marcBody(record) : undefined,
    auth: ctx.metadataAuth,
    create,
    signal,
  });
}

/** A local bibliographic data id: digits, leading zeros dropped. */
export function lbdId(id: string | number): string {
  const s = String(id).trim();
  if (!/^\d+$/.test(s))
    throw new WorldCatError(
      { message: `not a local bib data id: ${JSON.stringify(s)}` },
      "WORLDCAT_BAD_INPUT",
    );
  return s.replace(/^0+(?=\d)/, "");
}
