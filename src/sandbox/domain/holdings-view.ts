/**
 * The JSON views of local holdings (my-holdings search, read and browse; retained holdings) and of holdings
 * counts (summary holdings), all computed from the sandbox's own state: its LHRs, and the holdings of the
 * institutions its accounts stand for.
 */
import { readHoldings } from "../../marc/holdings.js";
import type { LocalHoldings, SandboxState } from "../state.js";
import type { Institution } from "./directory.js";

export function stampDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, "");
}

/** One LHR as a detailed holding. Keys without a value are left out. */
export function detailedHolding(lhr: LocalHoldings): Record<string, unknown> {
  const h = readHoldings(lhr.record);
  const f005 = lhr.record.controlValue("005") ?? "";
  return {
    lhrControlNumber: String(lhr.id),
    lhrDateEntered: stampDate(lhr.createdAt),
    lhrLastUpdated: f005.slice(0, 8),
    oclcNumber: String(lhr.ocn),
    institutionSymbol: lhr.symbol,
    format: formatOf(lhr.record.leader[6]),
    location: {
      holdingLocation: h.holdingLocation ?? "",
      ...(h.shelvingLocation ? { sublocationCollection: h.shelvingLocation } : {}),
    },
    ...(h.callNumber ? { callNumber: { displayCallNumber: h.callNumber } } : {}),
    ...(h.textualHoldings.length ? { summary: h.textualHoldings.join("; ") } : {}),
    hasSharedPrintCommitment: h.commitments.length > 0,
    ...(h.commitments.length
      ? {
          sharedPrintCommitments: h.commitments.map((c) => ({
            committedToRetain: true,
            actionNote: c.action,
            ...(c.dateOfAction ? { dateOfAction: c.dateOfAction } : {}),
            ...(c.commitmentExpirationDate ? { commitmentExpirationDate: c.commitmentExpirationDate } : {}),
            ...(c.program ? { program: c.program } : {}),
            institutionSymbol: c.institutionSymbol ?? lhr.symbol,
          })),
        }
      : {}),
    ...(h.barcodes.length
      ? { holdingParts: h.barcodes.map((pieceDesignation) => ({ pieceDesignation })) }
      : {}),
  };
}

function formatOf(type: string): string {
  return type === "y" ? "serial" : type === "v" ? "multipart" : type === "x" ? "single-part" : "unknown";
}

/** The institutions of the directory that hold `ocn` (its current number). */
export function holders(state: SandboxState, directory: readonly Institution[], ocn: number): Institution[] {
  return directory.filter((i) => state.isHeld(i.symbol, ocn));
}

/** Institutions with at least one LHR on `ocn` committing to retain it. */
export function retainers(state: SandboxState, ocn: number): LocalHoldings[] {
  return [...state.lhrs.values()]
    .filter((l) => l.ocn === ocn && readHoldings(l.record).commitments.length > 0)
    .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.id - b.id);
}

/** Counts for summary holdings: in all, shared print, by country and by state (subdivision). */
export function holdingCounts(state: SandboxState, directory: readonly Institution[], ocn: number) {
  const held = holders(state, directory, ocn);
  const byPlace = (key: "country" | "state") => {
    const m = new Map<string, number>();
    for (const i of held) m.set(i[key], (m.get(i[key]) ?? 0) + 1);
    return [...m]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([place, count]) => ({ [key]: place, holdingCount: count }));
  };
  const sp = new Set(retainers(state, ocn).map((l) => l.symbol));
  return {
    totalHoldingCount: held.length,
    totalSharedPrintCount: sp.size,
    holdingsByCountry: byPlace("country"),
    holdingsByState: byPlace("state"),
    holdingsByInstitution: held.map((i) => ({
      oclcSymbol: i.symbol,
      registryId: Number(i.registryId),
      country: i.country,
      state: i.state,
    })),
  };
}
