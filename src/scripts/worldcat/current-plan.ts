/**
 * What worldcat-current does to one local record: the current number of each of its OCLC numbers (035
 * (OCoLC) $a, and 001 when 003 is OCoLC or it has an ocm/ocn/on prefix), asked 10 at a time through the
 * look-ahead; a merged number is replaced by the current one in 035 $a (the old one kept in 035 $z) and in
 * 001. The record, rewritten or not, goes to records.<ext> in input order.
 */
import type { ItemResult } from "../../batch/index.js";
import type { BatchItem, HandlerEnv } from "../../batch/item.js";
import {
  allOclcNumbers,
  controlField,
  createRecord,
  dataField,
  type Field,
  isOclcIn035,
  type MarcRecord,
  parseOclcNumber,
} from "../../marc/index.js";
import type { WorldCatClient } from "../../worldcat/client.js";
import { resultOfError } from "./item-error.js";
import type { GroupLookup, Prefetched } from "./lookahead.js";
import type { RecordSink } from "./record-sink.js";

/** The record's own OCLC numbers (001 and 035 $a; 035 $z are cancelled ones, left alone). */
export function ownNumbers(record: MarcRecord): string[] {
  return [
    ...new Set(
      allOclcNumbers(record)
        .filter((f) => f.source !== "035$z")
        .map((f) => f.number),
    ),
  ];
}

/** number -> current number, for the numbers of a group of records (WorldCat leaves unknown numbers out). */
export function currentLookup(wc: WorldCatClient): GroupLookup<MarcRecord, ReadonlyMap<string, string>> {
  return async (records) => {
    const numbers = [...new Set(records.flatMap(ownNumbers))];
    const found = new Map((await wc.bibs.current(numbers)).map((c) => [c.requested, c.current] as const));
    return new Map(records.map((r) => [r, found] as const));
  };
}

/** Rewrites 035 $a (old kept in $z) and 001 for merged numbers; returns the record and what changed. */
export function rewrite(
  record: MarcRecord,
  current: ReadonlyMap<string, string>,
): { record: MarcRecord; changes: string[] } {
  const changes: string[] = [];
  // 001 is an OCLC number only with 003 OCoLC or an ocm/ocn/on prefix (a local system's 001 is left alone).
  const in001 = allOclcNumbers(record).some((x) => x.source === "001");
  const fields: Field[] = record.fields.map((f) => {
    if (f.tag === "001" && f.kind === "control" && in001) {
      const n = parseOclcNumber(f.value);
      const cur = n === undefined ? undefined : current.get(n);
      if (n !== undefined && cur !== undefined && cur !== n) {
        changes.push(`001 ${n} -> ${cur}`);
        return controlField("001", /^(ocm|ocn|on)/i.test(f.value.trim()) ? prefixed(cur) : cur);
      }
      return f;
    }
    if (f.tag !== "035" || f.kind !== "data") return f;
    let changed = false;
    const subfields: [string, string][] = [];
    const olds: string[] = [];
    for (const s of f.subfields) {
      const n = s.code === "a" && isOclcIn035(s.value) ? parseOclcNumber(s.value) : undefined;
      const cur = n === undefined ? undefined : current.get(n);
      if (n !== undefined && cur !== undefined && cur !== n) {
        subfields.push(["a", `(OCoLC)${cur}`]);
        olds.push(n);
        changes.push(`035 ${n} -> ${cur}`);
        changed = true;
      } else subfields.push([s.code, s.value]);
    }
    if (!changed) return f;
    return dataField("035", f.ind1, f.ind2, [
      ...subfields,
      ...olds.map((o): [string, string] => ["z", `(OCoLC)${o}`]),
    ]);
  });
  return { record: changes.length ? rebuild(record, fields) : record, changes };
}

function prefixed(digits: string): string {
  return digits.length <= 8
    ? `ocm${digits.padStart(8, "0")}`
    : digits.length === 9
      ? `ocn${digits}`
      : `on${digits}`;
}

function rebuild(record: MarcRecord, fields: Field[]): MarcRecord {
  return createRecord({ leader: record.leader, fields });
}

export function currentHandler(sink: RecordSink) {
  return async (
    item: BatchItem<Prefetched<MarcRecord, ReadonlyMap<string, string>>, MarcRecord>,
    env: HandlerEnv,
  ): Promise<ItemResult> => {
    const record = item.payload.value;
    const numbers = ownNumbers(record);
    const first = numbers[0] ?? "";
    if (numbers.length === 0) {
      sink.keep(item.position, record);
      return {
        requested: "",
        outcome: "failed",
        oclcCode: "NO_OCLC_NUMBER",
        message: `record ${item.position}: no OCLC number in 001 or 035 $a`,
      };
    }
    try {
      const current = (await item.payload.lookup()) ?? new Map<string, string>();
      const missing = numbers.filter((n) => !current.has(n));
      const { record: out, changes } = rewrite(record, current);
      sink.keep(item.position, out);
      const now = current.get(first) ?? "";
      if (missing.length)
        return {
          requested: first,
          current: now,
          outcome: "failed",
          oclcCode: "NOT_FOUND",
          message: `not in WorldCat: ${missing.join(", ")}${changes.length ? `; rewritten: ${changes.join("; ")}` : ""}`,
        };
      if (changes.length === 0)
        return {
          requested: first,
          current: now,
          outcome: "skipped",
          action: "check",
          message: "numbers are current",
        };
      return {
        requested: first,
        current: now,
        outcome: "ok",
        action: "rewrite",
        message: `merged: ${changes.join("; ")}`,
      };
    } catch (err) {
      return resultOfError(err, env, { requested: first });
    }
  };
}
