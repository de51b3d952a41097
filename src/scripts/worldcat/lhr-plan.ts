/**
 * What worldcat-lhr does to one item. Create: the record (a MARC holdings record, or one built from a CSV
 * row) goes on a record the institution holds (checked first; `--set-holdings` sets the holding when it is
 * missing), never twice: a create is in the unsettled-writes register, and an item an earlier run may have
 * sent is looked for first among the institution's LHRs on that record (same location, call number and
 * barcodes). Replace: 001 and the current 005, settled by comparing when an earlier attempt may have been
 * applied. Delete: a 404 after an attempt that may have been applied is ok. Read: into records.<ext>.
 */
import type { ItemResult } from "../../batch/index.js";
import type { BatchItem, HandlerEnv } from "../../batch/item.js";
import type { CsvRaw } from "../../batch/sources/csv.js";
import type { UnsettledWrites } from "../../engine/unsettled-writes.js";
import {
  buildHoldingsRecord,
  type HoldingsInput,
  type MarcRecord,
  parseOclcNumber,
  readHoldings,
} from "../../marc/index.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { OutcomeUnknownError, WorldCatError } from "../../worldcat/errors.js";
import { isAnswer, mayHaveApplied, resultOfError } from "./item-error.js";
import type { RecordSink } from "./record-sink.js";
import { contentDigest, sameContent } from "./same-content.js";
import { registeredWrite } from "./write-key.js";

export type LhrAction = "create" | "replace" | "delete" | "read";

export interface LhrPlan {
  readonly setHoldings: boolean;
  readonly writes?: UnsettledWrites;
}

const COLUMNS: Record<string, keyof HoldingsInput> = {
  ocn: "oclcNumber",
  oclc: "oclcNumber",
  oclcnumber: "oclcNumber",
  number: "oclcNumber",
  holdinglocation: "holdingLocation",
  location: "holdingLocation",
  branch: "holdingLocation",
  shelvinglocation: "shelvingLocation",
  shelving: "shelvingLocation",
  callnumber: "callNumber",
  barcode: "barcode",
  sharedprint: "sharedPrint",
  sharedprintcommitment: "sharedPrint",
  commitment: "sharedPrint",
  retention: "sharedPrint",
};
const ORDER: (keyof HoldingsInput)[] = [
  "oclcNumber",
  "holdingLocation",
  "shelvingLocation",
  "callNumber",
  "barcode",
  "sharedPrint",
];

/** The MFHD a CSV row describes (columns by header name, else in the documented order). */
export function recordFromRow(raw: CsvRaw, symbol: string | undefined): MarcRecord {
  const names = raw.header?.map((h) => COLUMNS[h.toLowerCase().replace(/[\s_-]/g, "")]) ?? ORDER;
  const input: Record<string, string> = {};
  names.forEach((name, i) => {
    const v = raw.fields[i]?.trim();
    if (name && v) input[name] = v;
  });
  if (!input.holdingLocation) throw new Error("no holding location (column holding_location)");
  return buildHoldingsRecord({
    ...(input as unknown as HoldingsInput),
    institutionSymbol: symbol,
  });
}

const describe = (r: MarcRecord) => {
  const h = readHoldings(r);
  return [h.holdingLocation, h.shelvingLocation, h.callNumber, ...h.barcodes].filter(Boolean).join(" / ");
};

/** Same location, shelving, call number and barcodes: the LHR an earlier attempt created. */
function sameHolding(a: MarcRecord, b: MarcRecord): boolean {
  const x = readHoldings(a);
  const y = readHoldings(b);
  return (
    x.holdingLocation === y.holdingLocation &&
    (x.shelvingLocation ?? "") === (y.shelvingLocation ?? "") &&
    (x.callNumber ?? "") === (y.callNumber ?? "") &&
    x.barcodes.join("|") === y.barcodes.join("|")
  );
}

async function findExisting(wc: WorldCatClient, ocn: string, record: MarcRecord, signal: AbortSignal) {
  const page = await wc.lhrs.search({ oclcNumber: ocn, limit: 50 }, signal);
  for (const h of page.detailedHoldings) {
    const stored = await wc.lhrs.read(h.lhrControlNumber, signal);
    if (sameHolding(record, stored)) return h.lhrControlNumber;
  }
  return undefined;
}

export function lhrCreateHandler(
  wc: WorldCatClient,
  plan: LhrPlan,
  recordOf: (item: BatchItem<unknown, unknown>) => MarcRecord,
) {
  return async (item: BatchItem<unknown, unknown>, env: HandlerEnv): Promise<ItemResult> => {
    let record: MarcRecord;
    try {
      record = recordOf(item);
    } catch (err) {
      return {
        outcome: "failed",
        oclcCode: "INVALID_INPUT",
        message: `item ${item.position}: ${(err as Error).message}`,
      };
    }
    const requested = parseOclcNumber(record.controlValue("004") ?? "") ?? "";
    let known: Partial<ItemResult> = { requested };
    try {
      const [status] = await wc.holdings.current([requested], env.signal);
      if (!status)
        return {
          ...known,
          outcome: "failed",
          oclcCode: "NOT_FOUND",
          message: `OCLC number ${requested} is not in WorldCat`,
        };
      const ocn = String(status.currentControlNumber);
      known = { requested, current: ocn };
      let setFirst = "";
      if (!status.holdingSet) {
        if (!plan.setHoldings)
          return {
            ...known,
            outcome: "failed",
            oclcCode: "NOT_HELD",
            message: `${status.institutionSymbol || "the institution"} does not hold ${ocn}; set the holding first (or run with --set-holdings)`,
          };
        if (env.dryRun)
          return {
            ...known,
            outcome: "skipped",
            oclcCode: "DRY_RUN",
            message: `dry run: would set the holding on ${ocn}, then create the LHR (${describe(record)})`,
          };
        await wc.holdings.set(ocn, env.signal);
        setFirst = "holding set; ";
      }
      if (env.dryRun)
        return {
          ...known,
          outcome: "skipped",
          oclcCode: "DRY_RUN",
          message: `dry run: would create the LHR on ${ocn} (${describe(record)})`,
        };
      const write = registeredWrite(plan.writes, wc, "create-lhr", `${ocn}:${contentDigest(record)}`);
      const unsettled = (await write?.unsettled()) ?? false;
      if (item.maybeAttempted || unsettled) {
        await write?.begin();
        const id = await findExisting(wc, ocn, record, env.signal);
        if (id) {
          await write?.settle();
          return {
            ...known,
            outcome: "ok",
            action: "create (found existing)",
            message: `${setFirst}local holdings record ${id} already on ${ocn} (${describe(record)})`,
          };
        }
      } else await write?.begin();
      try {
        const created = await wc.lhrs.create(record, env.signal);
        await write?.settle();
        return {
          ...known,
          outcome: "ok",
          action: "create",
          message: `${setFirst}local holdings record ${created.controlValue("001") ?? "?"} created on ${ocn} (${describe(record)})`,
        };
      } catch (err) {
        if (err instanceof OutcomeUnknownError) {
          const id = await findExisting(wc, ocn, record, env.signal).catch(() => undefined);
          if (id) {
            await write?.settle();
            return {
              ...known,
              outcome: "ok",
              action: "create",
              message: `${setFirst}local holdings record ${id} created on ${ocn} (found after an unanswered create)`,
            };
          }
          return {
            ...known,
            outcome: "unknown",
            action: "create",
            oclcCode: "WORLDCAT_OUTCOME_UNKNOWN",
            message: `${err.reason}: check the LHRs on ${ocn}`,
          };
        }
        if (!mayHaveApplied(err) && !env.signal.aborted) await write?.settle();
        throw err;
      }
    } catch (err) {
      return resultOfError(err, env, known);
    }
  };
}

export function lhrReplaceHandler(wc: WorldCatClient) {
  return async (item: BatchItem<MarcRecord, MarcRecord>, env: HandlerEnv): Promise<ItemResult> => {
    const record = item.payload;
    const id = record.controlValue("001")?.trim() ?? "";
    const requested = parseOclcNumber(record.controlValue("004") ?? "") ?? "";
    if (!/^\d+$/.test(id))
      return {
        requested,
        outcome: "failed",
        oclcCode: "INVALID_INPUT",
        message: `record ${item.position}: 001 must hold the LHR number to replace`,
      };
    if (env.dryRun)
      return {
        requested,
        outcome: "skipped",
        oclcCode: "DRY_RUN",
        message: `dry run: would replace local holdings record ${id}`,
      };
    try {
      const stored = await wc.lhrs.replace(id, record, env.signal);
      return {
        requested,
        current: stored.controlValue("004") ?? requested,
        outcome: "ok",
        message: `local holdings record ${id} replaced; new 005 ${stored.controlValue("005") ?? "?"}`,
      };
    } catch (err) {
      const stale = isAnswer(err, 409) && /005/.test(err.detail);
      if (!stale && !mayHaveApplied(err)) return resultOfError(err, env, { requested });
      try {
        const now = await wc.lhrs.read(id, env.signal);
        if (sameContent(record, now))
          return {
            requested,
            outcome: "ok",
            action: "replace (already applied)",
            message: `local holdings record ${id} holds the record as sent (005 ${now.controlValue("005") ?? "?"})`,
          };
      } catch {
        // the write's own error stands
      }
      if (stale)
        return {
          requested,
          outcome: "failed",
          oclcCode: "STALE_005",
          message: `changed in WorldCat since your copy (${(err as WorldCatError).detail})`,
        };
      return resultOfError(err, env, { requested });
    }
  };
}

export function lhrIdHandler(
  wc: WorldCatClient,
  action: "read" | "delete",
  sink: RecordSink | undefined,
  writes?: UnsettledWrites,
) {
  return async (item: BatchItem<string, unknown>, env: HandlerEnv): Promise<ItemResult> => {
    const id = item.payload;
    try {
      if (action === "read") {
        const record = await wc.lhrs.read(id, env.signal);
        sink?.keep(item.position, record);
        const ocn = record.controlValue("004") ?? "";
        return {
          outcome: "ok",
          requested: ocn,
          current: ocn,
          message: `local holdings record ${id} (${describe(record)})`,
        };
      }
      if (env.dryRun)
        return {
          outcome: "skipped",
          requested: "",
          oclcCode: "DRY_RUN",
          message: `dry run: would delete local holdings record ${id}`,
        };
      const write = registeredWrite(writes, wc, "delete-lhr", id);
      const unsettled = (await write?.unsettled()) ?? false;
      await write?.begin();
      try {
        const gone = await wc.lhrs.delete(id, env.signal);
        await write?.settle();
        const ocn = gone?.controlValue("004") ?? "";
        return {
          outcome: "ok",
          requested: ocn,
          current: ocn,
          message: `local holdings record ${id} deleted`,
        };
      } catch (err) {
        const earlier =
          (err instanceof WorldCatError && err.earlierAttemptMayHaveApplied) ||
          item.maybeAttempted ||
          unsettled;
        if (isAnswer(err, 404) || (!mayHaveApplied(err) && !env.signal.aborted)) await write?.settle();
        if (!isAnswer(err, 404) || !earlier) throw err;
        return {
          outcome: "ok",
          requested: "",
          action: "delete (already applied)",
          message: `local holdings record ${id} is gone: deleted by an earlier attempt`,
        };
      }
    } catch (err) {
      return resultOfError(err, env, { requested: "" });
    }
  };
}
