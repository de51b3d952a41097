/**
 * Local bibliographic data: 004 = an existing master record, 935 = a local id unique in the institution,
 * 940 = the institution's symbol. Replace needs 001 = the LBD's number and its current 005.
 */
import { parseOclcNumber } from "../../marc/oclc-number.js";
import { controlField, type MarcRecord, subfield } from "../../marc/record.js";
import { BadRequestError, ConflictError, NotFoundError, RecordInvalidError } from "../errors.js";
import type { LocalBib, SandboxState } from "../state.js";
import { requireEncodable } from "./encodable.js";
import { errorsOnly, validateBib } from "./validate-bib.js";

function checkRules(state: SandboxState, symbol: string, record: MarcRecord, selfId?: number) {
  const errors = errorsOnly(validateBib(record, "lbd"));
  if (errors.length > 0) throw new RecordInvalidError(errors);
  const master = Number(parseOclcNumber(record.controlValue("004") ?? ""));
  const ocn = state.bibs.current(master);
  if (ocn === undefined)
    throw new BadRequestError(`004: master record ${master} does not exist`, "BAD_REQUEST");
  const f940 = record.get("940");
  const inst = f940 ? subfield(f940, "a") : undefined;
  if (inst !== symbol)
    throw new BadRequestError(
      `940 $a must be your institution symbol ${symbol}; found ${inst ?? "none"}`,
      "BAD_REQUEST",
    );
  const f935 = record.get("935");
  const localId = (f935 ? subfield(f935, "a") : undefined)?.trim() ?? "";
  if (localId === "") throw new BadRequestError("935 $a (unique local identifier) is empty", "BAD_REQUEST");
  for (const l of state.lbds.values())
    if (l.symbol === symbol && l.localId === localId && l.id !== selfId)
      throw new ConflictError(`935 '${localId}' is already used by local bibliographic data ${l.id}`);
  return { ocn, localId };
}

function store(
  state: SandboxState,
  symbol: string,
  id: number,
  record: MarcRecord,
  ocn: number,
  localId: string,
) {
  const stored = requireEncodable(
    record
      .removeFields("001", "005")
      .addOrderedField(controlField("005", state.stamper.next()))
      .addOrderedField(controlField("001", String(id))),
  );
  const lbd: LocalBib = { id, symbol, ocn, localId, record: stored };
  state.lbds.set(id, lbd);
  return lbd;
}

export function createLbd(state: SandboxState, symbol: string, record: MarcRecord): LocalBib {
  const { ocn, localId } = checkRules(state, symbol, record);
  return store(state, symbol, state.allocateLbd(), record, ocn, localId);
}

export function readLbd(state: SandboxState, symbol: string, id: number): LocalBib {
  const l = state.lbds.get(id);
  if (!l || l.symbol !== symbol) throw new NotFoundError(`Local bibliographic data ${id} was not found`);
  return l;
}

export function replaceLbd(
  state: SandboxState,
  symbol: string,
  record: MarcRecord,
  pathId?: number,
): LocalBib {
  const id = Number(record.controlValue("001")?.trim());
  if (!Number.isInteger(id) || id <= 0)
    throw new BadRequestError("001 must hold the local bibliographic data number", "BAD_REQUEST");
  if (pathId !== undefined && pathId !== id)
    throw new BadRequestError(`001 holds ${id} but the request is for ${pathId}`, "BAD_REQUEST");
  const current = readLbd(state, symbol, id);
  const have = current.record.controlValue("005");
  if (record.controlValue("005") !== have)
    throw new ConflictError(`005 does not match the current 005 (${have}) of local bibliographic data ${id}`);
  const { ocn, localId } = checkRules(state, symbol, record, id);
  return store(state, symbol, id, record, ocn, localId);
}

export function deleteLbd(state: SandboxState, symbol: string, id: number): LocalBib {
  const l = readLbd(state, symbol, id);
  state.lbds.delete(id);
  return l;
}
