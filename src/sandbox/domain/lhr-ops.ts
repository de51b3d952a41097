/**
 * Local holdings records (LHR): MARC 21 holdings records (the `lhr` validation profile) whose 004 names a
 * record the institution holds; an LHR exists only on a held record (unset with cascade deletes them, without
 * cascade it is refused). Replace needs 001 = the LHR's number and its current 005.
 */
import { parseOclcNumber } from "../../marc/oclc-number.js";
import { controlField, dataField, type MarcRecord, subfieldValues } from "../../marc/record.js";
import { validate } from "../../marc/validate/index.js";
import { BadRequestError, ConflictError, NotFoundError, RecordInvalidError } from "../errors.js";
import type { LocalHoldings, SandboxState } from "../state.js";
import { requireEncodable } from "./encodable.js";

function checkRules(state: SandboxState, symbol: string, record: MarcRecord): number {
  const errors = validate(record, "lhr").filter((p) => p.severity === "error");
  if (errors.length > 0) throw new RecordInvalidError(errors);
  const asked = Number(parseOclcNumber(record.controlValue("004") ?? ""));
  const ocn = state.bibs.current(asked);
  if (ocn === undefined)
    throw new BadRequestError(
      `004: bibliographic record ${asked} does not exist`,
      "BAD_REQUEST",
      "Bad Request",
    );
  if (!state.isHeld(symbol, ocn))
    throw new ConflictError(
      `Institution ${symbol} does not hold record ${ocn}; set the holding before adding a local holdings record`,
    );
  const f852 = record.get("852");
  const inst = f852 ? subfieldValues(f852, "a")[0] : undefined;
  if (inst !== undefined && inst !== symbol)
    throw new BadRequestError(
      `852 $a must be your institution symbol ${symbol}; found ${inst}`,
      "BAD_REQUEST",
      "Bad Request",
    );
  return ocn;
}

/** Stores the record with WorldCat's fields: 001 the LHR number, 004 the current number, 005 a new stamp, 852 $a. */
export function storeLhr(
  state: SandboxState,
  symbol: string,
  id: number,
  record: MarcRecord,
  ocn: number,
  createdAt: number,
): LocalHoldings {
  let r = record
    .removeFields("001", "004", "005")
    .addOrderedField(controlField("001", String(id)))
    .addOrderedField(controlField("004", String(ocn)))
    .addOrderedField(controlField("005", state.stamper.next()));
  const f852 = r.get("852");
  if (f852?.kind === "data" && subfieldValues(f852, "a").length === 0)
    r = r.replaceFields(
      "852",
      dataField("852", f852.ind1, f852.ind2, [
        ["a", symbol],
        ...f852.subfields.map((s) => [s.code, s.value] as [string, string]),
      ]),
      ...r.getFields("852").slice(1),
    );
  const lhr: LocalHoldings = { id, symbol, ocn, record: requireEncodable(r), createdAt };
  state.lhrs.set(id, lhr);
  return lhr;
}

export function createLhr(state: SandboxState, symbol: string, record: MarcRecord): LocalHoldings {
  const ocn = checkRules(state, symbol, record);
  return storeLhr(state, symbol, state.allocateLhr(), record, ocn, state.now());
}

export function readLhr(state: SandboxState, symbol: string, id: number): LocalHoldings {
  const l = state.lhrs.get(id);
  if (!l || l.symbol !== symbol) throw new NotFoundError(`Local holdings record ${id} was not found`);
  return l;
}

export function replaceLhr(
  state: SandboxState,
  symbol: string,
  record: MarcRecord,
  pathId: number,
): LocalHoldings {
  const text = record.controlValue("001")?.trim();
  const id = Number(text);
  if (text !== undefined && (!Number.isInteger(id) || id <= 0))
    throw new BadRequestError("001 must hold the local holdings record number", "BAD_REQUEST", "Bad Request");
  if (text !== undefined && id !== pathId)
    throw new BadRequestError(
      `001 holds ${id} but the request is for ${pathId}`,
      "BAD_REQUEST",
      "Bad Request",
    );
  const current = readLhr(state, symbol, pathId);
  const have = current.record.controlValue("005");
  if (record.controlValue("005") !== have)
    throw new ConflictError(
      `005 does not match the current 005 (${have}) of local holdings record ${pathId}`,
    );
  const ocn = checkRules(state, symbol, record);
  return storeLhr(state, symbol, pathId, record, ocn, current.createdAt);
}

export function deleteLhr(state: SandboxState, symbol: string, id: number): LocalHoldings {
  const l = readLhr(state, symbol, id);
  state.lhrs.delete(id);
  return l;
}

/** The institution's LHRs on a record, in number order. */
export function lhrsOn(state: SandboxState, symbol: string, ocn: number): LocalHoldings[] {
  return [...state.lhrs.values()]
    .filter((l) => l.symbol === symbol && l.ocn === ocn)
    .sort((a, b) => a.id - b.id);
}
