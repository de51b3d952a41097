/** The first API's holdings: /ih/data set and unset, and /bib/holdinglibraries (the 049 codes). */
import type { ApiContext } from "../api/context.js";
import { withQuery } from "../api/context.js";
import type { HoldingCode } from "../api/holdings.js";
import { WorldCatError } from "../errors.js";
import { ocnOf } from "../marc-body.js";
import { findAll, parseXmlTree, textOf } from "../xml-tree.js";
import { type FirstApiOptions, firstSend, firstUrl } from "./context.js";

export interface FirstHoldingsApi {
  /** POST /ih/data: 200 with an empty body; WorldCatError 409 `WS-409` when already set. */
  set(ocn: string | number, options?: FirstApiOptions): Promise<void>;
  /** DELETE /ih/data (cascade 1 removes local bib data too); 409 `WS-409` when not held. */
  unset(ocn: string | number, options?: FirstApiOptions & { cascade?: boolean }): Promise<void>;
  /** GET /bib/holdinglibraries?instSymbol= (defaults to the account's symbol). */
  libraries(instSymbol?: string, signal?: AbortSignal): Promise<HoldingCode[]>;
}

/** Reads holding codes from JSON (`holdingLibraryCodes`) or XML (code elements, or text of code-like elements). */
export function parseHoldingCodes(body: string): HoldingCode[] {
  const text = body.trim();
  if (text.startsWith("{")) {
    const json = JSON.parse(text) as { holdingLibraryCodes?: HoldingCode[] };
    return json.holdingLibraryCodes ?? [];
  }
  const root = parseXmlTree(text);
  if (!root) throw new WorldCatError({ message: "holding library codes: response is neither JSON nor XML" });
  const out = new Map<string, HoldingCode>();
  for (const el of findAll(root, "holdingLibrary")
    .concat(findAll(root, "holdingLibraryCode"))
    .concat(findAll(root, "holdingCode"))) {
    const code =
      el.attrs.code ?? textOf(el, "code") ?? (el.children.length === 0 ? el.text.trim() : undefined);
    const name = el.attrs.name ?? textOf(el, "name");
    if (code && !out.has(code)) out.set(code, name ? { code, name } : { code });
  }
  if (out.size === 0)
    for (const el of findAll(root, "code"))
      if (el.text.trim()) out.set(el.text.trim(), { code: el.text.trim() });
  return [...out.values()];
}

export function firstHoldingsApi(ctx: ApiContext): FirstHoldingsApi {
  return {
    async set(ocn, o = {}) {
      await firstSend(ctx, "POST", firstUrl(ctx, "/ih/data", o, { oclcNumber: ocnOf(ocn) }), undefined, o);
    },
    async unset(ocn, o = {}) {
      const url = firstUrl(ctx, "/ih/data", o, {
        oclcNumber: ocnOf(ocn),
        cascade: o.cascade === false ? 0 : 1,
      });
      await firstSend(ctx, "DELETE", url, undefined, o);
    },
    async libraries(instSymbol, signal) {
      const symbol = instSymbol ?? ctx.account.symbol;
      const url = withQuery(`${ctx.account.baseUrls.worldcat}/bib/holdinglibraries`, {
        instSymbol: symbol,
        inst: ctx.account.registryId,
      });
      const res = await firstSend(ctx, "GET", url, undefined, { signal });
      return parseHoldingCodes(res.body);
    },
  };
}
