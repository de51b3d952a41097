/** Shared bits of the first Metadata API (https://worldcat.org): query defaults and record calls. */
import type { MarcRecord } from "../../marc/record.js";
import type { ApiContext } from "../api/context.js";
import { withQuery } from "../api/context.js";
import { MARCXML_FIRST, marcBody, recordFromBody } from "../marc-body.js";
import type { HttpResponse } from "../transport/http.js";

export interface FirstApiOptions {
  readonly classificationScheme?: string;
  readonly holdingLibraryCode?: string;
  readonly signal?: AbortSignal;
}

export const ATOM_ACCEPT = `application/atom+xml, ${MARCXML_FIRST};q=0.9, application/xml;q=0.5`;

/** URL under the first API's base with the usual `classificationScheme`, `holdingLibraryCode`, `inst`. */
export function firstUrl(
  ctx: ApiContext,
  path: string,
  options: FirstApiOptions,
  extra: Record<string, string | number | undefined> = {},
): string {
  return withQuery(`${ctx.account.baseUrls.worldcat}${path}`, {
    ...extra,
    classificationScheme: options.classificationScheme ?? ctx.classificationScheme,
    holdingLibraryCode: options.holdingLibraryCode ?? ctx.holdingLibraryCode,
    inst: ctx.account.registryId,
  });
}

/** Sends a first-API request, optionally with a MARCXML record body. */
export function firstSend(
  ctx: ApiContext,
  method: string,
  url: string,
  record: MarcRecord | undefined,
  options: { create?: boolean; signal?: AbortSignal; acceptStatus?: readonly number[] } = {},
): Promise<HttpResponse> {
  return ctx.transport.request({
    method,
    url,
    headers: record ? { "content-type": MARCXML_FIRST, accept: ATOM_ACCEPT } : { accept: ATOM_ACCEPT },
    body: record ? marcBody(record) : undefined,
    auth: ctx.firstAuth,
    create: options.create,
    acceptStatus: options.acceptStatus,
    signal: options.signal,
  });
}

/** Sends and reads the record out of the Atom entry (an `oclc:error` inside becomes a WorldCatError). */
export async function firstRecord(
  ctx: ApiContext,
  method: string,
  url: string,
  record: MarcRecord | undefined,
  options: { create?: boolean; signal?: AbortSignal } = {},
): Promise<MarcRecord> {
  const res = await firstSend(ctx, method, url, record, options);
  return recordFromBody(res.body, `${method} ${url}`, res.status);
}
