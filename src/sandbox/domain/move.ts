/**
 * Holdings move (POST /manage/institution/holdings/move): the institution's holding, local bibliographic data
 * and local holdings records go from one record to another. The live service accepts the request and does
 * the move later (confirm with holdings/current): the sandbox queues it and carries it out once its clock has
 * passed `due`, before it answers any later request. A source without LBD or LHRs is a 409 CONFLICT.
 */
import { controlField } from "../../marc/record.js";
import { ConflictError, NotFoundError } from "../errors.js";
import type { PendingMove, SandboxState } from "../state.js";
import { lhrsOn } from "./lhr-ops.js";

export function requestMove(
  state: SandboxState,
  symbol: string,
  fromAsked: number,
  toAsked: number,
  delayMs: number,
): PendingMove {
  const from = state.bibs.current(fromAsked);
  if (from === undefined) throw new NotFoundError(`The requested record ${fromAsked} was not found`);
  const to = state.bibs.current(toAsked);
  if (to === undefined) throw new NotFoundError(`The requested record ${toAsked} was not found`);
  if (from === to)
    throw new ConflictError(`Source ${fromAsked} and target ${toAsked} are the same record (${from})`);
  if (!state.isHeld(symbol, from))
    throw new ConflictError(`Institution ${symbol} does not hold record ${from}`);
  const lbds = [...state.lbds.values()].some((l) => l.symbol === symbol && l.ocn === from);
  if (!lbds && lhrsOn(state, symbol, from).length === 0)
    throw new ConflictError(
      `Record ${from} has no local bibliographic data or local holdings records of ${symbol} to move`,
    );
  const move: PendingMove = { symbol, from, to, due: state.now() + delayMs };
  state.pendingMoves.push(move);
  return move;
}

/** Carries out every queued move that is due. */
export function settleMoves(state: SandboxState): void {
  const now = state.now();
  for (let i = 0; i < state.pendingMoves.length; ) {
    const m = state.pendingMoves[i];
    if (m.due > now) {
      i++;
      continue;
    }
    state.pendingMoves.splice(i, 1);
    carryOut(state, m);
  }
}

function carryOut(state: SandboxState, { symbol, from, to }: PendingMove): void {
  for (const l of [...state.lbds.values()])
    if (l.symbol === symbol && l.ocn === from)
      state.lbds.set(l.id, {
        ...l,
        ocn: to,
        record: l.record.replaceFields("004", controlField("004", String(to))),
      });
  for (const l of lhrsOn(state, symbol, from))
    state.lhrs.set(l.id, {
      ...l,
      ocn: to,
      record: l.record.replaceFields("004", controlField("004", String(to))),
    });
  state.setHeld(symbol, to, true);
  state.setHeld(symbol, from, false);
}
