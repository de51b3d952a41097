/**
 * Institution holdings: set, unset (cascading to local bib data, or refusing without cascade), current.
 * `strict`: the first API answers 409 WS-409 when already set / not held; Metadata API 2.0 says so in a 200.
 */
import { ConflictError, NotFoundError } from "../errors.js";
import type { SandboxState } from "../state.js";
import { parseNumberList } from "./bib-ops.js";
import { lhrsOn } from "./lhr-ops.js";

export interface HoldingResult {
  readonly requested: number;
  readonly controlNumber: number;
  /** False when nothing changed (already set / already unset). */
  readonly changed: boolean;
}

function resolve(state: SandboxState, ocn: number): number {
  const cur = state.bibs.current(ocn);
  if (cur === undefined) throw new NotFoundError(`The requested record ${ocn} was not found`);
  return cur;
}

export function setHolding(state: SandboxState, symbol: string, ocn: number, strict: boolean): HoldingResult {
  countRequest(state, `${symbol} set ${ocn}`);
  const cur = resolve(state, ocn);
  if (state.isHeld(symbol, cur)) {
    if (strict) throw new ConflictError("Trying to set hold while holding already exists", "WS-409");
    return { requested: ocn, controlNumber: cur, changed: false };
  }
  state.setHeld(symbol, cur, true);
  return { requested: ocn, controlNumber: cur, changed: true };
}

export function unsetHolding(
  state: SandboxState,
  symbol: string,
  ocn: number,
  cascade: boolean,
  strict: boolean,
): HoldingResult & { deletedLbds: number[] } {
  countRequest(state, `${symbol} unset ${ocn}`);
  const cur = resolve(state, ocn);
  if (!state.isHeld(symbol, cur)) {
    if (strict) throw new ConflictError("Trying to unset hold while holding does not exist", "WS-409");
    return { requested: ocn, controlNumber: cur, changed: false, deletedLbds: [] };
  }
  const attached = [...state.lbds.values()]
    .filter((l) => l.symbol === symbol && l.ocn === cur)
    .map((l) => l.id);
  const lhrs = lhrsOn(state, symbol, cur).map((l) => l.id);
  if ((attached.length > 0 || lhrs.length > 0) && !cascade) {
    const what = [
      ...(attached.length ? [`local bibliographic data ${attached.join(", ")}`] : []),
      ...(lhrs.length ? [`local holdings records ${lhrs.join(", ")}`] : []),
    ];
    throw new ConflictError(
      `Unable to unset holding: ${what.join(" and ")} attached; use cascade`,
      strict ? "WS-409" : "CONFLICT",
    );
  }
  for (const id of attached) state.lbds.delete(id);
  for (const id of lhrs) state.lhrs.delete(id);
  state.setHeld(symbol, cur, false);
  return { requested: ocn, controlNumber: cur, changed: true, deletedLbds: attached };
}

export function currentHoldings(state: SandboxState, symbol: string, list: string | null) {
  return parseNumberList(list, "oclcNumbers").flatMap(({ text, ocn }) => {
    const cur = state.bibs.current(ocn);
    if (cur === undefined) return [];
    return [
      {
        requestedControlNumber: text,
        currentControlNumber: String(cur),
        institutionSymbol: symbol,
        holdingSet: state.isHeld(symbol, cur),
      },
    ];
  });
}

function countRequest(state: SandboxState, key: string): void {
  state.holdingRequests.set(key, (state.holdingRequests.get(key) ?? 0) + 1);
}
